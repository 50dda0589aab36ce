"""The wrong edits that a hand audit of real changes found, one class per row: each must stay
fixed.  The inputs are our own sentences, built like the damaged real ones."""

from __future__ import annotations

import pytest

from cleantext import clean

# (class, input, what clean must return)
WRONG_EDITS = [
    # L. A backwards ``“`` closing a quotation keeps the space after it, and turns round.
    (
        "L",
        "“I was bored, so I signed up, “ said Mrs Sun. She smiled.",
        "“I was bored, so I signed up,” said Mrs Sun. She smiled.",
    ),
    # H. A quotation typed with accents stays as typed, not half repaired.
    ("H", "Ela disse ``bom dia´´ ontem.", "Ela disse ``bom dia´´ ontem."),
    # Loops a writer made: a short phrase said twice, a quoted sentence said twice.
    (
        "loops",
        '"Most pupils who walk to school walk to school alone," he said.',
        '"Most pupils who walk to school walk to school alone," he said.',
    ),
    (
        "loops",
        '"The door is open. The door is open." The neighbours',
        '"The door is open. The door is open." The neighbours',
    ),
    ("loops", "We went home. We went home. We went home. He left.", "We went home. He left."),
    # B. An open quotation is left open where its end is not certain: a text of one
    # paragraph, or a quotation opened again inside (paragraph breaks were lost).
    (
        "B",
        'Police came. "We saw it. "It was loud," Mr Lee said.',
        'Police came. "We saw it. "It was loud," Mr Lee said.',
    ),
    ("B", "She said: “Do not come near me, my dears.", "She said: “Do not come near me, my dears."),
    (
        "B",
        "He said: “It was so unnecessary.\n\nThe case goes on.",
        "He said: “It was so unnecessary.”\n\nThe case goes on.",
    ),
    # Residue: a photo marker between commas, where its place in the sentence is certain.
    (
        "residue",
        "Paul Casey, pictured in action last month, is in the field. His wife, Kate, pictured, "
        "came. He met Bill, pictured above, who sits on the board.",
        "Paul Casey is in the field. His wife, Kate, pictured, came. He met Bill, who sits on "
        "the board.",
    ),
    # Residues: marks of writing direction in a text without right-to-left letters, and the
    # furniture sentence left between two others.
    ("residue", "We need to remind \u200eall of them.", "We need to remind all of them."),
    (
        "residue",
        "He was stopped. Scroll down for video More than 20 people came.",
        "He was stopped. More than 20 people came.",
    ),
    # Glued at a quotation mark: the space goes where the quotation is not; a quotation that
    # runs into the next paragraph (opened again, never closed) leaves it uncertain.
    (
        "glued-quote",
        '"It felt natural," he said."It sounds risky."The team won.',
        '"It felt natural," he said. "It sounds risky." The team won.',
    ),
    (
        "glued-quote",
        '"I see it," she said."They fret about exams."You go far away," she said.',
        '"I see it," she said."They fret about exams."You go far away," she said.',
    ),
    # A. A closing quote after a spaced nested closer is no opener of a spaced quotation.
    (
        "A",
        '"The question is: \'Who won?\' " he said. "(Not) now," she said.',
        '"The question is: \'Who won?\' " he said. "(Not) now," she said.',
    ),
    # C. ``, .`` inside a sentence is a comma and a hard-wrap mark, not a full stop.
    (
        "C",
        "The whales swim off Devon, . with most sightings in May. Boats follow them.",
        "The whales swim off Devon, with most sightings in May. Boats follow them.",
    ),
    # D. A hard-wrap `` . `` before a lower-case word, after a capitalised word too.
    (
        "D",
        "Lawyers said Smith . defamed them. The . couple left. A . strongly worded note.",
        "Lawyers said Smith defamed them. The couple left. A strongly worded note.",
    ),
    # E. An opening single quote before a capitalised word is no split contraction.
    (
        "E",
        "They changed the sign from 'Re-education Camp' to 'School'.",
        "They changed the sign from 'Re-education Camp' to 'School'.",
    ),
    # M. Machine translation glues a nested quotation to the word before it: its closing
    # ``’`` closes that lost opener, not the outer ``“``, whose own closer comes later.
    (
        "M",
        "He said: “We moved the fair to the’cloud’ this year, and it worked.”",
        "He said: “We moved the fair to the’cloud’ this year, and it worked.”",
    ),
    (
        "M",
        "“Our guess is that the 'kite’ was only a toy,\" the pilot said.",
        "“Our guess is that the 'kite’ was only a toy,\" the pilot said.",
    ),
    # A ``“`` glued to the word after it may open the next title: it closes no ``"``.
    (
        "M",
        'After part two of“calm water "and part three of“big fair", people cheered.',
        'After part two of“calm water "and part three of“big fair", people cheered.',
    ),
    # A doubled opener (``‘’What``) is a typo whose repair is not certain.
    (
        "M",
        "She joked: ‘’Who said that about cats?’ Then",
        "She joked: ‘’Who said that about cats?’ Then",
    ),
    # ... while ``“…“`` closed with its own glyph, and ``“…’`` closed by nothing later, are
    # still repaired.
    ("M", "Lake: “Sweetness“lifts farm income", "Lake: “Sweetness”lifts farm income"),
    ("M", "“Take your time. I’m here.’ She left.", "“Take your time. I’m here.” She left."),
    # Emphatic marks (``?????``) make long dot runs style; ``an an`` may be a mistyped ``and
    # an``; a second stop glued to the next sentence leaves the space after the first.
    ("style", "NO WAY....?????  ......WHY", "NO WAY....?????  ......WHY"),
    ("loops", "A shy man an an old woman met.", "A shy man an an old woman met."),
    (
        "orphan",
        "We saw the museums. .“One of them is free.”",
        "We saw the museums. “One of them is free.”",
    ),
    # N. A quotation that ends in a number closes with a mark read as a prime: no closer is
    # added at the paragraph's end (a prime after a digit elsewhere does not stop one).
    (
        "N",
        '“Big Film 2" opens on Friday, the studio said.\n\nIt sold out.',
        '“Big Film 2" opens on Friday, the studio said.\n\nIt sold out.',
    ),
    (
        "N",
        "He is 6'2\" tall, she said. “We won.\n\nThe end.",
        "He is 6'2\" tall, she said. “We won.”\n\nThe end.",
    ),
    # Treebank single quotes of lower-cased corpora (`` ` … ,' ``) pair up; an apostrophe
    # after a letter (``o' neill``, ``fans' ``) closes none.
    (
        "backtick",
        "he left. ` it was a good day,' she said. ` the fans' songs rang out at o' hare",
        "he left. ‘it was a good day,’ she said. ` the fans' songs rang out at o' hare",
    ),
    # A quotation opened in one style and closed in the other takes the curly mark's; a
    # straight mark after a digit may be a prime and stays.
    (
        "mixed",
        'It cited "price gouging” and “a fair response". “Film 2" opens.',
        'It cited “price gouging” and “a fair response”. “Film 2" opens.',
    ),
    # Joined paragraphs with an odd number of straight marks (a quotation ran over two of
    # them): a glued mark is spaced where the marks around it, read both ways, agree, and
    # left where they disagree.
    (
        "glued",
        'He came home. "It was long," he said."We slept. "And then we left," she said."Then"',
        'He came home. "It was long," he said."We slept. "And then we left," she said. "Then"',
    ),
    # A sentence that ends with a quoted word, glued to a quotation; two marks glued between
    # two sentences are a closer and an opener.
    (
        "glued",
        'It was a "wasted chance"."We tried," he said. "It is over.""Now we wait," she said.',
        'It was a "wasted chance". "We tried," he said. "It is over." "Now we wait," she said.',
    ),
    # A straight opener typed with a space, closed by a curly mark: one curly quotation; not
    # after a comma, nor inside an open curly quotation: there the mark closes that one.
    (
        "mixed",
        'It cut the " carbon load” by half.',
        "It cut the “carbon load” by half.",
    ),
    (
        "mixed",
        'He said: “We thank them, " he said.”\n\nThe “Blue Wave " show” ran.',
        "He said: “We thank them,” he said.”\n\nThe “Blue Wave” show” ran.",
    ),
    # F. A dotted name is no pair of glued sentences; after a lower-case word it is.
    (
        "F",
        "Shares in One.Tel fell sharply. Diia.Business grew.",
        "Shares in One.Tel fell sharply. Diia.Business grew.",
    ),
    ("F", "He said.Professor Lee agreed.", "He said. Professor Lee agreed."),
    # G. A time or a compound before ``, 150`` is no thousands group.
    (
        "G",
        "By 14:00, 210 people had voted. He is 5-foot-7, 150 pounds.",
        "By 14:00, 210 people had voted. He is 5-foot-7, 150 pounds.",
    ),
    ("G", "It cost 140, 000 pounds.", "It cost 140,000 pounds."),
    ("G", "Shops had 349, 389, 399 offers.", "Shops had 349, 389, 399 offers."),
    ("G", "It had 6, 607, 500 residents.", "It had 6,607,500 residents."),
    # I. A face in spaced brackets is no bracketed insertion.
    ("I", "Smile ( o_o ) ok. Then ( ^_^ ) again.", "Smile ( o_o ) ok. Then ( ^_^ ) again."),
    ("I", "Ha ( o¬ô ) and the score ( 2-1 ) stood.", "Ha ( o¬ô ) and the score (2-1) stood."),
    # K'. A letter in capitals before a line-end mark is no article cut off by a wrap.
    (
        "K",
        "Members were exposed to hepatitis A . State officials say the risk is low. It ends .",
        "Members were exposed to hepatitis A. State officials say the risk is low. It ends.",
    ),
    # K. A full stop after a closing bracket ends the sentence inside a flattened article.
    (
        "K",
        "It rained (and so on) . Then we left. We came home late .",
        "It rained (and so on). Then we left. We came home late.",
    ),
]


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    WRONG_EDITS,
    ids=[f"{kind}-{n}" for n, (kind, _, _) in enumerate(WRONG_EDITS)],
)
def test_audited_wrong_edit_stays_fixed(kind, text, expected):
    assert clean(text) == expected
