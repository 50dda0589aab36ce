"""Character classes shared by several families, as regex class bodies (without brackets)."""

__all__ = ["EMOTICON_FACE", "EXOTIC_SPACES", "HORIZONTAL_SPACES", "ORPHAN_MARKS"]

#: Space characters other than the ASCII space and tab that show up inside lines: NBSP, Ogham
#: space, the U+2000 block of typographic spaces, narrow NBSP, math space, ideographic space.
#: (Spelled out, without a range: the body is also the string of its characters, which
#: code looks characters up in.)
EXOTIC_SPACES = "\u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f\u3000"

#: Every character that separates words within a line.
HORIZONTAL_SPACES = " \t" + EXOTIC_SPACES

#: The marks that ``remove_orphan_punctuation`` removes from the start of a line.  Stages
#: before it look through them (a caption's label, a boilerplate line, leading metadata, a
#: flattened line's start): the pipeline is idempotent only while they all see the same
#: marks, so every pattern about them is built from this one class.
ORPHAN_MARKS = ".,;:"

#: A face of two eyes and a mark for a mouth (an underscore or another symbol), which people
#: set in spaced brackets: ``( o_o )``, ``( ^_^ )``, ``( o¬ô )``.  A regex (not a class
#: body): the bracket spacing repairs of the tokenizer and punctuation families both leave
#: such a face alone.  (Not digits, and not the marks that join words and numbers: ``( 2-1 )``
#: and ``( a/b )`` are tokenized text.)
EMOTICON_FACE = r"[^\s()\[\]\d](?:_|[^\w\s()\[\]\-.,:;/'’])[^\s()\[\]\d]"
