/* Compiled kernels of cleantext, built by `pip install .` where a C compiler and the Python
 * headers are present (setup.py marks the extension optional).  Each function here has a
 * pure-Python twin in cleantext/kernels.py that gives the same result; tests/test_kernels.py
 * compares the two on drawn and real text.
 *
 * The module is top-level (`_cleantext_speedups`), not inside the package, so that a source
 * checkout of `cleantext` on sys.path still finds the copy pip built into site-packages.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* Whether a kernel got ``wanted`` arguments; -1 with a TypeError if not. */
static int
argument_count(Py_ssize_t nargs, Py_ssize_t wanted, const char *name)
{
    if (nargs != wanted) {
        PyErr_Format(PyExc_TypeError, "%s takes %zd arguments", name, wanted);
        return -1;
    }
    return 0;
}

/* args[first], args[first + 1]… read as integers into ``out``; -1 with the exception of the
 * first that is none (no call is made with an exception pending). */
static int
integer_arguments(PyObject *const *args, Py_ssize_t first, Py_ssize_t count, Py_ssize_t *out)
{
    for (Py_ssize_t k = 0; k < count; k++) {
        out[k] = PyLong_AsSsize_t(args[first + k]);
        if (out[k] == -1 && PyErr_Occurred()) {
            return -1;
        }
    }
    return 0;
}

/* ``text`` if it is a str ready to be read by kind and data; NULL with an exception if not. */
static PyObject *
text_argument(PyObject *text)
{
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "text must be a str");
        return NULL;
    }
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(text) < 0) {
        return NULL;
    }
#endif
    return text;
}

/* run_candidates(pieces, first, end, min_words, max_words) -> list of int
 *
 * Where a run of m words (max(3, min_words) <= m <= max_words) from piece r (first <= r < end) may
 * have a copy right after it: the m - 1 pieces from r equal the m - 1 pieces from r + m, and
 * the copy's last piece, r + 2m - 1, exists.  The result lists r and m for each, flat, in
 * order of r and then m.  Pieces are compared by hash, then by value (a hash collision never
 * stands for equal pieces).  Work: at most max_words hash comparisons per piece, more only
 * where pieces do repeat.
 */
static PyObject *
run_candidates(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    Py_ssize_t numbers[4];
    if (argument_count(nargs, 5, "run_candidates") < 0 ||
        integer_arguments(args, 1, 4, numbers) < 0) {
        return NULL;
    }
    PyObject *pieces = args[0];
    if (!PyList_CheckExact(pieces)) {
        PyErr_SetString(PyExc_TypeError, "pieces must be a list of str");
        return NULL;
    }
    Py_ssize_t first = numbers[0], end = numbers[1], min_words = numbers[2],
               max_words = numbers[3];
    Py_ssize_t count = PyList_GET_SIZE(pieces);
    if (first < 0) {
        first = 0;
    }
    if (end > count) {
        end = count;
    }
    if (min_words < 3) {
        min_words = 3; /* shorter runs are no loops (and have no pair to find them by) */
    }
    PyObject *found = PyList_New(0);
    if (found == NULL || first >= end || max_words < min_words) {
        return found;
    }
    /* The pieces a run from before ``end`` and its copy can reach. */
    Py_ssize_t reach = end - 1 + 2 * max_words;
    Py_ssize_t stop = reach < count ? reach : count;
    Py_ssize_t span = stop - first;
    Py_hash_t *hashes = PyMem_Malloc(sizeof(Py_hash_t) * (size_t)span);
    if (hashes == NULL) {
        Py_DECREF(found);
        return PyErr_NoMemory();
    }
    /* Every piece is an exact str: hashing and comparing it runs no Python code, so the list
     * cannot change under us. */
    for (Py_ssize_t k = 0; k < span; k++) {
        PyObject *piece = PyList_GET_ITEM(pieces, first + k);
        if (!PyUnicode_CheckExact(piece)) {
            PyErr_SetString(PyExc_TypeError, "pieces must be a list of str");
            goto fail;
        }
        hashes[k] = PyObject_Hash(piece);
        if (hashes[k] == -1 && PyErr_Occurred()) {
            goto fail;
        }
    }
    for (Py_ssize_t r = 0; first + r < end; r++) {
        for (Py_ssize_t m = min_words; m <= max_words; m++) {
            if (first + r + 2 * m - 1 >= count) {
                break; /* the copy's last piece is past the end, and so for every longer m */
            }
            Py_ssize_t k = 0;
            for (; k < m - 1; k++) {
                if (hashes[r + k] != hashes[r + m + k]) {
                    break;
                }
                int equal = PyUnicode_Compare(PyList_GET_ITEM(pieces, first + r + k),
                                              PyList_GET_ITEM(pieces, first + r + m + k));
                if (equal == -1 && PyErr_Occurred()) {
                    goto fail;
                }
                if (equal != 0) {
                    break;
                }
            }
            if (k < m - 1) {
                continue;
            }
            PyObject *run = PyLong_FromSsize_t(first + r);
            PyObject *words = PyLong_FromSsize_t(m);
            int failed = run == NULL || words == NULL || PyList_Append(found, run) < 0 ||
                         PyList_Append(found, words) < 0;
            Py_XDECREF(run);
            Py_XDECREF(words);
            if (failed) {
                goto fail;
            }
        }
    }
    PyMem_Free(hashes);
    return found;
fail:
    PyMem_Free(hashes);
    Py_DECREF(found);
    return NULL;
}

/* may_loop(text, offset, min_words, max_words) -> bool
 *
 * Whether run_candidates would find a run in the pieces of text[offset:] (as the pattern
 * \w\S*\W* cuts them, from a word character at offset) whose copy's last piece starts with
 * the letters (\w+) that the run's last piece starts with, read straight from the string: a
 * text where it finds none has no loop (a loop's copy repeats the run's last word), and
 * needs no list of pieces.  Only the last 2 * max_words pieces are kept (a ring), so memory
 * does not grow with the text.
 */
#define RING 64 /* a power of two, at least 2 * max_words */

typedef struct {
    Py_ssize_t start, letters_end, end; /* letters_end: where its leading \w+ ends */
    Py_uhash_t hash;
} Piece;

/* FNV-1a, over code points: the hash of pieces and words. */
#define FNV_OFFSET 14695981039346656037ULL
#define FNV_PRIME 1099511628211ULL

/* Per ASCII character: 1 for letters and digits (str.isalnum), 2 for ``_``. */
static const unsigned char ASCII_WORD[128] = {
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
    ['8'] = 1, ['9'] = 1, ['_'] = 2,
    ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1,
    ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1,
    ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
    ['Y'] = 1, ['Z'] = 1,
    ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1,
    ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1,
    ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
    ['y'] = 1, ['z'] = 1,
};

/* str.isalnum of one character.  ASCII is looked up in a table: Py_UNICODE_ISALNUM looks a
 * character up four times over, and most text is mostly ASCII. */
static inline int
is_alnum_char(Py_UCS4 ch)
{
    if (ch < 128) {
        return ASCII_WORD[ch] == 1;
    }
    return Py_UNICODE_ISALNUM(ch);
}

/* \w of re for str patterns. */
static inline int
is_word(Py_UCS4 ch)
{
    return ch < 128 ? ASCII_WORD[ch] != 0 : Py_UNICODE_ISALNUM(ch);
}

/* ``words`` read as a tuple of at most ``most`` words of 1 to ``longest`` lower-case ASCII
 * letters each (what doubled_word_places and english_words are given): how many, or -1 with
 * an exception. */
static Py_ssize_t
lower_case_words(PyObject *words, Py_ssize_t most, Py_ssize_t longest)
{
    if (!PyTuple_Check(words) || PyTuple_GET_SIZE(words) > most) {
        PyErr_Format(PyExc_TypeError, "words must be a tuple of at most %zd str", most);
        return -1;
    }
    for (Py_ssize_t w = 0; w < PyTuple_GET_SIZE(words); w++) {
        PyObject *word = text_argument(PyTuple_GET_ITEM(words, w));
        if (word == NULL) {
            return -1;
        }
        Py_ssize_t size = PyUnicode_GET_LENGTH(word);
        const Py_UCS1 *letters = PyUnicode_IS_ASCII(word) ? PyUnicode_1BYTE_DATA(word) : NULL;
        Py_ssize_t k = 0;
        while (letters != NULL && k < size && letters[k] >= 'a' && letters[k] <= 'z') {
            k++;
        }
        if (size == 0 || size > longest || letters == NULL || k < size) {
            PyErr_Format(PyExc_ValueError, "each word must be 1 to %zd lower-case ASCII letters",
                         longest);
            return -1;
        }
    }
    return PyTuple_GET_SIZE(words);
}

static inline __attribute__((always_inline)) int
same_piece(int kind, const void *data, const Piece *a, const Piece *b)
{
    if (a->hash != b->hash || a->end - a->start != b->end - b->start) {
        return 0;
    }
    for (Py_ssize_t k = 0; k < a->end - a->start; k++) {
        if (PyUnicode_READ(kind, data, a->start + k) != PyUnicode_READ(kind, data, b->start + k)) {
            return 0;
        }
    }
    return 1;
}

/* Whether piece ``copy`` starts with the letters (\w+) that piece ``run`` starts with. */
static inline __attribute__((always_inline)) int
starts_with_letters(int kind, const void *data, const Piece *copy, const Piece *run)
{
    Py_ssize_t size = run->letters_end - run->start;
    if (copy->end - copy->start < size) {
        return 0;
    }
    for (Py_ssize_t k = 0; k < size; k++) {
        if (PyUnicode_READ(kind, data, copy->start + k) != PyUnicode_READ(kind, data, run->start + k)) {
            return 0;
        }
    }
    return 1;
}

/* may_loop's search, in text of one kind (the compiler makes a copy for each kind).
 *
 * A run of m words from piece r has a copy (but for its last word) when the pieces from
 * r + m to r + 2m - 2 each equal the piece m before it.  So for each distance m, the search
 * keeps how many pieces in a row up to the last one equal the piece m before them (a
 * streak), and piece x ends a copy of m words when the streak of m reaches x - 1 and is at
 * least m - 1 long.  The distances at which piece x equals an earlier piece come from a
 * chain of the earlier pieces with the same hash bucket, walked back at most max_words
 * pieces: most pieces meet few equals nearby, so a piece costs a few comparisons, not one
 * per distance. */
#define BUCKETS 128 /* a power of two */

static inline __attribute__((always_inline)) int
find_loop(int kind, const void *data, Py_ssize_t length, Py_ssize_t at, Py_ssize_t min_words,
          Py_ssize_t max_words)
{
    Piece ring[RING];
    Py_ssize_t earlier[RING];        /* the last piece before each one in its bucket, or -1 */
    Py_ssize_t last_in[BUCKETS];     /* the last piece of each bucket, or -1 */
    Py_ssize_t streak[RING / 2 + 1]; /* per distance: the streak's length ... */
    Py_ssize_t streak_end[RING / 2 + 1]; /* ... and its last piece */
    Py_ssize_t matched[RING / 2 + 1], matched_count = 0; /* distances the last piece matched */
    for (Py_ssize_t b = 0; b < BUCKETS; b++) {
        last_in[b] = -1;
    }
    for (Py_ssize_t m = 0; m <= RING / 2; m++) {
        streak[m] = 0;
        streak_end[m] = -2;
    }
    Py_ssize_t count = 0; /* pieces read */
    while (at < length) {
        /* A piece: a word character, the rest of its token, then the gap to the next word. */
        /* (Hashed as it is read: FNV-1a over the code points.) */
        Py_UCS4 ch = PyUnicode_READ(kind, data, at);
        Py_uhash_t hash = (FNV_OFFSET ^ ch) * FNV_PRIME;
        Piece piece = {at, at + 1, at + 1, 0};
        while (piece.letters_end < length &&
               is_word(ch = PyUnicode_READ(kind, data, piece.letters_end))) {
            hash = (hash ^ ch) * FNV_PRIME;
            piece.letters_end++;
        }
        piece.end = piece.letters_end;
        while (piece.end < length &&
               !Py_UNICODE_ISSPACE(ch = PyUnicode_READ(kind, data, piece.end))) {
            hash = (hash ^ ch) * FNV_PRIME;
            piece.end++;
        }
        while (piece.end < length && !is_word(ch = PyUnicode_READ(kind, data, piece.end))) {
            hash = (hash ^ ch) * FNV_PRIME;
            piece.end++;
        }
        piece.hash = hash;
        at = piece.end;
        Py_ssize_t x = count++;
        ring[x & (RING - 1)] = piece;
        /* Runs whose copy ends with this piece: the streak of m reaches x - 1 (the distances
         * the last piece matched at) and is m - 1 long. */
        for (Py_ssize_t k = 0; k < matched_count; k++) {
            Py_ssize_t m = matched[k];
            if (m >= min_words && streak[m] >= m - 1 &&
                starts_with_letters(kind, data, &piece, &ring[(x - m) & (RING - 1)])) {
                return 1;
            }
        }
        /* The distances at which this piece equals an earlier one, and the streaks. */
        Py_ssize_t bucket = (Py_ssize_t)(hash & (BUCKETS - 1));
        Py_ssize_t y = last_in[bucket];
        earlier[x & (RING - 1)] = y;
        last_in[bucket] = x;
        matched_count = 0;
        while (y >= 0 && x - y <= max_words) {
            if (same_piece(kind, data, &ring[y & (RING - 1)], &piece)) {
                Py_ssize_t m = x - y;
                streak[m] = streak_end[m] == x - 1 ? streak[m] + 1 : 1;
                streak_end[m] = x;
                matched[matched_count++] = m;
            }
            y = earlier[y & (RING - 1)];
        }
    }
    return 0;
}

static PyObject *
may_loop(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    Py_ssize_t numbers[3];
    if (argument_count(nargs, 4, "may_loop") < 0 || integer_arguments(args, 1, 3, numbers) < 0) {
        return NULL;
    }
    PyObject *text = text_argument(args[0]);
    if (text == NULL) {
        return NULL;
    }
    Py_ssize_t offset = numbers[0], min_words = numbers[1], max_words = numbers[2];
    if (min_words < 3) {
        min_words = 3; /* as run_candidates */
    }
    if (max_words > RING / 2) {
        PyErr_SetString(PyExc_ValueError, "max_words is too large for the ring");
        return NULL;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    Py_ssize_t at = offset < 0 ? 0 : offset;
    if (at < length && !is_word(PyUnicode_READ(kind, data, at))) {
        PyErr_SetString(PyExc_ValueError, "offset must be at a word character");
        return NULL;
    }
    switch (kind) {
    case PyUnicode_1BYTE_KIND:
        return PyBool_FromLong(find_loop(PyUnicode_1BYTE_KIND, data, length, at, min_words, max_words));
    case PyUnicode_2BYTE_KIND:
        return PyBool_FromLong(find_loop(PyUnicode_2BYTE_KIND, data, length, at, min_words, max_words));
    default:
        return PyBool_FromLong(find_loop(PyUnicode_4BYTE_KIND, data, length, at, min_words, max_words));
    }
}

/* mojibake_sign(text, leads, continuations, space_leads, removable, spaces) -> bool
 *
 * Whether text holds a sign of mojibake, as cleantext.encoding's MOJIBAKE_HINT or
 * LATIN1_LETTER_RUN would find one (search, not match), in one pass over the string: a
 * lead character followed, past characters the character stage removes, by a continuation
 * character; a combining mark after an ASCII letter (with the marks after it) likewise; a
 * space lead followed, past removable characters, by a space; a C1 control; or four
 * characters in a row from U+00C0-U+00FF.  The character sets come as bitmaps of the Basic
 * Multilingual Plane (8192 bytes each), built from the same sets as the patterns.
 */
static int
in_set(const unsigned char *bitmap, Py_UCS4 ch)
{
    return ch < 0x10000 && (bitmap[ch >> 3] >> (ch & 7)) & 1;
}

static int
followed_by(int kind, const void *data, Py_ssize_t length, Py_ssize_t j,
            const unsigned char *wanted, const unsigned char *removable)
{
    /* Some character from j on is in ``wanted`` with only removable characters before it
     * (a removable character may itself be wanted: the pattern backtracks to it). */
    for (; j < length; j++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, j);
        if (in_set(wanted, ch)) {
            return 1;
        }
        if (!in_set(removable, ch)) {
            return 0;
        }
    }
    return 0;
}

static PyObject *
mojibake_sign(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (argument_count(nargs, 6, "mojibake_sign") < 0) {
        return NULL;
    }
    PyObject *text = text_argument(args[0]);
    if (text == NULL) {
        return NULL;
    }
    const unsigned char *tables[5];
    for (int t = 0; t < 5; t++) {
        if (!PyBytes_Check(args[t + 1]) || PyBytes_GET_SIZE(args[t + 1]) != 8192) {
            PyErr_SetString(PyExc_TypeError, "each character set must be 8192 bytes");
            return NULL;
        }
        tables[t] = (const unsigned char *)PyBytes_AS_STRING(args[t + 1]);
    }
    const unsigned char *leads = tables[0], *continuations = tables[1],
                        *space_leads = tables[2], *removable = tables[3], *spaces = tables[4];
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    Py_ssize_t latin1_run = 0;
    for (Py_ssize_t i = 0; i < length; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        if (ch < 0x80) {
            latin1_run = 0;
            continue; /* no sign starts with an ASCII character */
        }
        if (ch >= 0xC0 && ch <= 0xFF) {
            if (++latin1_run == 4) {
                Py_RETURN_TRUE;
            }
        }
        else {
            latin1_run = 0;
        }
        if (ch <= 0x9F) {
            Py_RETURN_TRUE; /* a C1 control */
        }
        if (in_set(leads, ch) &&
            followed_by(kind, data, length, i + 1, continuations, removable)) {
            Py_RETURN_TRUE;
        }
        if (ch >= 0x300 && ch <= 0x36F && i > 0) {
            Py_UCS4 before = PyUnicode_READ(kind, data, i - 1);
            if ((before >= 'A' && before <= 'Z') || (before >= 'a' && before <= 'z')) {
                Py_ssize_t j = i + 1;
                while (j < length && PyUnicode_READ(kind, data, j) >= 0x300 &&
                       PyUnicode_READ(kind, data, j) <= 0x36F) {
                    j++;
                }
                if (followed_by(kind, data, length, j, continuations, removable)) {
                    Py_RETURN_TRUE;
                }
            }
        }
        if (in_set(space_leads, ch) && followed_by(kind, data, length, i + 1, spaces, removable)) {
            Py_RETURN_TRUE;
        }
    }
    Py_RETURN_FALSE;
}

/* Signs: literal pieces of text, each in a group, looked for all at once.
 *
 * compile_signs(groups) -> table; find_signs(table, text) -> bytes, a byte per group, 1 where
 * text holds one of the group's signs (``any(sign in text for sign in group)``).  Signs of
 * one character are chained by it (ASCII by value, the rest by its low seven bits), longer
 * ones by their first two characters, so the one pass over the text compares each place with
 * the few signs that can start there: where a space is followed by a letter, none.
 */
#define SIGN_BUCKETS 256
#define PAIR_BUCKETS 4096

typedef struct {
    Py_ssize_t count, groups;
    Py_ssize_t signed_groups; /* the groups with a sign: a text can hold no other */
    Py_UCS4 *chars;    /* every sign's characters, one sign after another */
    Py_ssize_t *start; /* where each sign's characters begin in chars (count + 1) */
    Py_ssize_t *group; /* each sign's group */
    Py_ssize_t *next;  /* the next sign in the same chain, or -1 */
    Py_ssize_t singles[SIGN_BUCKETS]; /* the first sign of one character, by bucket */
    Py_ssize_t pairs[PAIR_BUCKETS];   /* the first longer sign, by its first two characters */
    char single_starts[SIGN_BUCKETS]; /* whether a sign of one character is in the bucket */
    /* Per bucket of a character and bucket of the next, one bit: set where a sign of one
     * character is in the first bucket, or a longer sign starts with characters of the two.
     * Most places in a text are ruled out by one test of it (a space followed by a letter
     * mostly is), so the scan does not branch on every character that starts some sign. */
    unsigned char filter[SIGN_BUCKETS][SIGN_BUCKETS / 8];
} SignTable;

static const char SIGN_TABLE[] = "cleantext sign table";

static Py_ssize_t
sign_bucket(Py_UCS4 ch)
{
    return ch < 128 ? (Py_ssize_t)ch : 128 + (Py_ssize_t)(ch & 127);
}

static Py_ssize_t
pair_bucket(Py_UCS4 first, Py_UCS4 second)
{
    return (Py_ssize_t)((first * 64 + second) & (PAIR_BUCKETS - 1));
}

static void
free_sign_table(SignTable *table)
{
    if (table != NULL) {
        PyMem_Free(table->chars);
        PyMem_Free(table->start);
        PyMem_Free(table->group);
        PyMem_Free(table->next);
        PyMem_Free(table);
    }
}

static void
sign_table_capsule_destructor(PyObject *capsule)
{
    free_sign_table((SignTable *)PyCapsule_GetPointer(capsule, SIGN_TABLE));
}

static PyObject *
compile_signs(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (argument_count(nargs, 1, "compile_signs") < 0) {
        return NULL;
    }
    PyObject *groups = args[0];
    if (!PyTuple_Check(groups)) {
        PyErr_SetString(PyExc_TypeError, "groups must be a tuple of tuples of str");
        return NULL;
    }
    Py_ssize_t group_count = PyTuple_GET_SIZE(groups), count = 0, total = 0;
    for (Py_ssize_t g = 0; g < group_count; g++) {
        PyObject *group = PyTuple_GET_ITEM(groups, g);
        if (!PyTuple_Check(group)) {
            PyErr_SetString(PyExc_TypeError, "groups must be a tuple of tuples of str");
            return NULL;
        }
        for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(group); k++) {
            PyObject *sign = text_argument(PyTuple_GET_ITEM(group, k));
            if (sign == NULL) {
                return NULL;
            }
            if (PyUnicode_GET_LENGTH(sign) == 0) {
                PyErr_SetString(PyExc_ValueError, "a sign must not be empty");
                return NULL;
            }
            count++;
            total += PyUnicode_GET_LENGTH(sign);
        }
    }
    SignTable *table = PyMem_Calloc(1, sizeof(SignTable));
    if (table == NULL) {
        return PyErr_NoMemory();
    }
    table->count = count;
    table->groups = group_count;
    table->chars = PyMem_Calloc(total + 1, sizeof(Py_UCS4));
    table->start = PyMem_Calloc(count + 1, sizeof(Py_ssize_t));
    table->group = PyMem_Calloc(count + 1, sizeof(Py_ssize_t));
    table->next = PyMem_Calloc(count + 1, sizeof(Py_ssize_t));
    if (table->chars == NULL || table->start == NULL || table->group == NULL ||
        table->next == NULL) {
        free_sign_table(table);
        return PyErr_NoMemory();
    }
    for (Py_ssize_t b = 0; b < SIGN_BUCKETS; b++) {
        table->singles[b] = -1;
    }
    for (Py_ssize_t b = 0; b < PAIR_BUCKETS; b++) {
        table->pairs[b] = -1;
    }
    Py_ssize_t s = 0, at = 0;
    for (Py_ssize_t g = 0; g < group_count; g++) {
        PyObject *group = PyTuple_GET_ITEM(groups, g);
        for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(group); k++, s++) {
            PyObject *sign = PyTuple_GET_ITEM(group, k);
            int kind = PyUnicode_KIND(sign);
            const void *data = PyUnicode_DATA(sign);
            table->start[s] = at;
            for (Py_ssize_t j = 0; j < PyUnicode_GET_LENGTH(sign); j++) {
                table->chars[at++] = PyUnicode_READ(kind, data, j);
            }
            table->group[s] = g;
        }
    }
    table->start[count] = at;
    for (s = 0; s < count; s++) {
        table->signed_groups += s == 0 || table->group[s] != table->group[s - 1];
        const Py_UCS4 *sign = table->chars + table->start[s];
        Py_ssize_t *head = table->start[s + 1] - table->start[s] == 1
                               ? &table->singles[sign_bucket(sign[0])]
                               : &table->pairs[pair_bucket(sign[0], sign[1])];
        table->next[s] = *head;
        *head = s;
        Py_ssize_t bucket = sign_bucket(sign[0]);
        if (table->start[s + 1] - table->start[s] == 1) {
            table->single_starts[bucket] = 1;
            memset(table->filter[bucket], 0xFF, SIGN_BUCKETS / 8);
        }
        else {
            Py_ssize_t second = sign_bucket(sign[1]);
            table->filter[bucket][second >> 3] |= (unsigned char)(1u << (second & 7));
        }
    }
    PyObject *capsule = PyCapsule_New(table, SIGN_TABLE, sign_table_capsule_destructor);
    if (capsule == NULL) {
        free_sign_table(table);
    }
    return capsule;
}

/* The signs of one character that ``ch`` (in ``bucket``) is, marked found. */
static inline __attribute__((always_inline)) Py_ssize_t
single_signs_at(const SignTable *table, Py_ssize_t bucket, Py_UCS4 ch, char *found,
                Py_ssize_t remaining)
{
    for (Py_ssize_t s = table->singles[bucket]; s >= 0; s = table->next[s]) {
        if (!found[table->group[s]] && table->chars[table->start[s]] == ch) {
            found[table->group[s]] = 1;
            remaining--;
        }
    }
    return remaining;
}

/* The longer signs that start at i (with ``ch`` and then ``second``), marked found. */
static inline __attribute__((always_inline)) Py_ssize_t
longer_signs_at(const SignTable *table, int kind, const void *data, Py_ssize_t length,
                Py_ssize_t i, Py_UCS4 ch, Py_UCS4 second, char *found, Py_ssize_t remaining)
{
    for (Py_ssize_t s = table->pairs[pair_bucket(ch, second)]; s >= 0; s = table->next[s]) {
        Py_ssize_t g = table->group[s];
        const Py_UCS4 *sign = table->chars + table->start[s];
        Py_ssize_t size = table->start[s + 1] - table->start[s];
        if (found[g] || sign[0] != ch || sign[1] != second || size > length - i) {
            continue;
        }
        Py_ssize_t k = 2;
        while (k < size && PyUnicode_READ(kind, data, i + k) == sign[k]) {
            k++;
        }
        if (k == size) {
            found[g] = 1;
            remaining--;
        }
    }
    return remaining;
}

/* Looks for the signs in text of one kind (the compiler makes a copy for each kind).  A
 * character's bucket, in text of one byte a character, is the character itself.  Each place
 * is tested against the filter with the character after it; the last character can only
 * be a sign of one character. */
static inline __attribute__((always_inline)) void
scan_signs(const SignTable *table, int kind, const void *data, Py_ssize_t length, char *found,
           Py_ssize_t remaining)
{
    if (length == 0 || remaining == 0) {
        return;
    }
    Py_UCS4 ch = PyUnicode_READ(kind, data, 0);
    Py_ssize_t bucket = kind == PyUnicode_1BYTE_KIND ? (Py_ssize_t)ch : sign_bucket(ch);
    for (Py_ssize_t i = 0; i + 1 < length; i++) {
        Py_UCS4 second = PyUnicode_READ(kind, data, i + 1);
        Py_ssize_t next = kind == PyUnicode_1BYTE_KIND ? (Py_ssize_t)second : sign_bucket(second);
        if ((table->filter[bucket][next >> 3] >> (next & 7)) & 1) {
            if (table->single_starts[bucket]) {
                remaining = single_signs_at(table, bucket, ch, found, remaining);
            }
            remaining = longer_signs_at(table, kind, data, length, i, ch, second, found, remaining);
            if (remaining == 0) {
                return;
            }
        }
        ch = second;
        bucket = next;
    }
    if (table->single_starts[bucket]) {
        single_signs_at(table, bucket, ch, found, remaining);
    }
}

static PyObject *
find_signs(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (argument_count(nargs, 2, "find_signs") < 0) {
        return NULL;
    }
    if (!PyCapsule_IsValid(args[0], SIGN_TABLE)) {
        PyErr_SetString(PyExc_TypeError, "table must be made by compile_signs");
        return NULL;
    }
    SignTable *table = PyCapsule_GetPointer(args[0], SIGN_TABLE);
    PyObject *text = text_argument(args[1]);
    if (text == NULL) {
        return NULL;
    }
    PyObject *result = PyBytes_FromStringAndSize(NULL, table->groups);
    if (result == NULL) {
        return NULL;
    }
    char *found = PyBytes_AS_STRING(result);
    memset(found, 0, table->groups);
    Py_ssize_t remaining = table->signed_groups;
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    switch (PyUnicode_KIND(text)) {
    case PyUnicode_1BYTE_KIND:
        scan_signs(table, PyUnicode_1BYTE_KIND, data, length, found, remaining);
        break;
    case PyUnicode_2BYTE_KIND:
        scan_signs(table, PyUnicode_2BYTE_KIND, data, length, found, remaining);
        break;
    default:
        scan_signs(table, PyUnicode_4BYTE_KIND, data, length, found, remaining);
        break;
    }
    return result;
}

/* doubled_word_places(text, words) -> list of int, or None
 *
 * ``py_doubled_word_places(text, words)`` of cleantext.kernels: where, in order, a word w of
 * ``words`` (ASCII, lower case) starts that is doubled: w in any case, no word character
 * (\w of re) before it, one or more spaces or tabs, w again in any case, and no word
 * character after.  A doubled word of cleantext.loops starts at one of them.  Four
 * characters match an ASCII letter they are not where re ignores case (U+0130 and U+0131
 * match i, U+017F s, U+212A k): where the text holds one, the answer is None, and the caller
 * searches the whole text.
 */
#define MAX_DOUBLED_WORD 32

static inline Py_UCS4
ascii_lower(Py_UCS4 ch)
{
    return (ch >= 'A' && ch <= 'Z') ? ch + ('a' - 'A') : ch;
}

#define MAX_DOUBLED_WORDS 64

typedef struct {
    Py_ssize_t count;
    const Py_UCS1 *letters[MAX_DOUBLED_WORDS];
    Py_ssize_t sizes[MAX_DOUBLED_WORDS];
    /* Per first and last letter (a to z), the words (a bit each, in order) that start and end
     * with them: the letters on either side of a gap rule out nearly every word at once. */
    uint64_t by_ends[26][26];
} DoubledWords;

static inline int
folds_to_ascii(Py_UCS4 ch)
{
    return ch == 0x130 || ch == 0x131 || ch == 0x17F || ch == 0x212A;
}

/* Whether text[at:at + size] is ``letters`` in any case. */
static inline __attribute__((always_inline)) int
same_letters(int kind, const void *data, Py_ssize_t at, const Py_UCS1 *letters, Py_ssize_t size)
{
    for (Py_ssize_t k = 0; k < size; k++) {
        if (ascii_lower(PyUnicode_READ(kind, data, at + k)) != letters[k]) {
            return 0;
        }
    }
    return 1;
}

/* doubled_word_places's search, in text of one kind: 1 with the places appended to
 * ``found``, 0 where the text holds a character that folds to ASCII, -1 with an exception.
 * It stops at the spaces and tabs only: a doubled word has some between its two copies, and
 * the letters on either side of them (the last of a word, the first of one) rule out nearly
 * every gap with a look-up each. */
static inline __attribute__((always_inline)) int
find_doubled(int kind, const void *data, Py_ssize_t length, const DoubledWords *table,
             PyObject *found)
{
    for (Py_ssize_t j = 0; j < length; j++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, j);
        if (ch >= 128) {
            if (folds_to_ascii(ch)) {
                return 0;
            }
            continue;
        }
        if ((ch != ' ' && ch != '\t') || j == 0) {
            continue;
        }
        Py_UCS4 last = PyUnicode_READ(kind, data, j - 1);
        Py_ssize_t copy = j + 1;
        while (copy < length && (PyUnicode_READ(kind, data, copy) == ' ' ||
                                 PyUnicode_READ(kind, data, copy) == '\t')) {
            copy++;
        }
        Py_UCS4 first = copy < length ? ascii_lower(PyUnicode_READ(kind, data, copy)) : 0;
        last = ascii_lower(last);
        uint64_t words = first >= 'a' && first <= 'z' && last >= 'a' && last <= 'z'
                             ? table->by_ends[first - 'a'][last - 'a']
                             : 0;
        for (; words != 0; words &= words - 1) {
            int w = __builtin_ctzll(words); /* the words in order, as the pattern tries them */
            const Py_UCS1 *letters = table->letters[w];
            Py_ssize_t size = table->sizes[w], place = j - size;
            if (place < 0 || copy + size > length ||
                (place > 0 && is_word(PyUnicode_READ(kind, data, place - 1))) ||
                !same_letters(kind, data, place, letters, size) ||
                !same_letters(kind, data, copy, letters, size) ||
                (copy + size < length && is_word(PyUnicode_READ(kind, data, copy + size)))) {
                continue;
            }
            PyObject *at = PyLong_FromSsize_t(place);
            int failed = at == NULL || PyList_Append(found, at) < 0;
            Py_XDECREF(at);
            if (failed) {
                return -1;
            }
            break;
        }
        j = copy - 1;
    }
    return 1;
}

static PyObject *
doubled_word_places(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (argument_count(nargs, 2, "doubled_word_places") < 0) {
        return NULL;
    }
    PyObject *text = text_argument(args[0]);
    if (text == NULL) {
        return NULL;
    }
    PyObject *words = args[1];
    Py_ssize_t count = lower_case_words(words, MAX_DOUBLED_WORDS, MAX_DOUBLED_WORD);
    if (count < 0) {
        return NULL;
    }
    DoubledWords table = {count, {0}, {0}, {{0}}};
    for (Py_ssize_t w = 0; w < count; w++) {
        PyObject *word = PyTuple_GET_ITEM(words, w);
        table.letters[w] = PyUnicode_1BYTE_DATA(word);
        table.sizes[w] = PyUnicode_GET_LENGTH(word);
        Py_UCS1 first = table.letters[w][0];
        Py_UCS1 last = table.letters[w][table.sizes[w] - 1];
        table.by_ends[first - 'a'][last - 'a'] |= (uint64_t)1 << w;
    }
    PyObject *found = PyList_New(0);
    if (found == NULL) {
        return NULL;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    int result;
    switch (kind) {
    case PyUnicode_1BYTE_KIND:
        result = find_doubled(PyUnicode_1BYTE_KIND, data, length, &table, found);
        break;
    case PyUnicode_2BYTE_KIND:
        result = find_doubled(PyUnicode_2BYTE_KIND, data, length, &table, found);
        break;
    default:
        result = find_doubled(PyUnicode_4BYTE_KIND, data, length, &table, found);
        break;
    }
    if (result <= 0) {
        Py_DECREF(found);
        if (result < 0) {
            return NULL;
        }
        Py_RETURN_NONE;
    }
    return found;
}

/* english_words(text, limit, words) -> (count, english)
 *
 * The words of text[:limit] (runs of ASCII letters and other characters than ASCII ones:
 * ASCII marks, digits and spaces part them), and how many of them are, lower-cased, one of
 * ``words`` (lower-case ASCII, at most 8 letters each).  cleantext.language's English test.
 */
#define MAX_ENGLISH_WORDS 128

static PyObject *
english_words(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    Py_ssize_t limit;
    if (argument_count(nargs, 3, "english_words") < 0 || integer_arguments(args, 1, 1, &limit) < 0) {
        return NULL;
    }
    PyObject *text = text_argument(args[0]);
    if (text == NULL) {
        return NULL;
    }
    PyObject *words = args[2];
    Py_ssize_t count = lower_case_words(words, MAX_ENGLISH_WORDS, 8);
    if (count < 0) {
        return NULL;
    }
    /* Each word packed into an integer, a byte a letter, and its length. */
    uint64_t keys[MAX_ENGLISH_WORDS];
    Py_ssize_t sizes[MAX_ENGLISH_WORDS];
    for (Py_ssize_t w = 0; w < count; w++) {
        PyObject *word = PyTuple_GET_ITEM(words, w);
        const Py_UCS1 *letters = PyUnicode_1BYTE_DATA(word);
        uint64_t key = 0;
        for (Py_ssize_t k = 0; k < PyUnicode_GET_LENGTH(word); k++) {
            key = (key << 8) | letters[k];
        }
        keys[w] = key;
        sizes[w] = PyUnicode_GET_LENGTH(word);
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    if (limit < 0) {
        limit = 0;
    }
    if (limit < length) {
        length = limit;
    }
    Py_ssize_t found = 0, english = 0, size = 0;
    uint64_t key = 0;
    int plain = 1; /* the word so far is ASCII letters only */
    for (Py_ssize_t i = 0; i <= length; i++) {
        Py_UCS4 ch = i < length ? PyUnicode_READ(kind, data, i) : ' ';
        if (ch >= 128) {
            plain = 0;
            size++;
            continue;
        }
        Py_UCS4 lower = ascii_lower(ch);
        if (lower >= 'a' && lower <= 'z') {
            if (size < 8) {
                key = (key << 8) | lower;
            }
            size++;
            continue;
        }
        if (size > 0) { /* a word ends */
            found++;
            if (plain && size <= 8) {
                for (Py_ssize_t w = 0; w < count; w++) {
                    if (keys[w] == key && sizes[w] == size) {
                        english++;
                        break;
                    }
                }
            }
        }
        size = 0;
        key = 0;
        plain = 1;
    }
    return Py_BuildValue("(nn)", found, english);
}

/* has_surrogate(text) -> bool
 *
 * Whether text holds a code point from U+D800 to U+DFFF (a lone or paired surrogate, as
 * surrogateescape and JSON's \ud83d leave them): cleantext.kernels' SURROGATE.search.  A
 * string of one byte a character cannot hold one.
 */
static PyObject *
has_surrogate(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (argument_count(nargs, 1, "has_surrogate") < 0) {
        return NULL;
    }
    PyObject *text = text_argument(args[0]);
    if (text == NULL) {
        return NULL;
    }
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    if (PyUnicode_KIND(text) == PyUnicode_2BYTE_KIND) {
        const Py_UCS2 *data = PyUnicode_2BYTE_DATA(text);
        for (Py_ssize_t i = 0; i < length; i++) {
            if ((data[i] & 0xF800) == 0xD800) {
                Py_RETURN_TRUE;
            }
        }
    }
    else if (PyUnicode_KIND(text) == PyUnicode_4BYTE_KIND) {
        const Py_UCS4 *data = PyUnicode_4BYTE_DATA(text);
        for (Py_ssize_t i = 0; i < length; i++) {
            if (data[i] >= 0xD800 && data[i] <= 0xDFFF) {
                Py_RETURN_TRUE;
            }
        }
    }
    Py_RETURN_FALSE;
}

/* quote_pairs(text, start, end) -> (top_double, top_single, closers, unclosed, glyphs, ambiguous)
 *
 * ``_quotations(text, start, end)`` of cleantext.quotes, the pure-Python twin, field by field:
 * how the quote marks of the paragraph text[start:end] pair into quotations.  Each mark gets
 * the role that the patterns MARK_ROLE and QUOTATION_OR_MARK_ROLE give it (read with the text
 * cut at ``end`` after the mark, as a search with an end position reads it, and whole before
 * it), or that ``_role`` gives the marks they leave unsure (read on the whole text); the
 * openers and closers then pair on a stack, as there.  Each mark costs a bounded amount of
 * work (its neighbours, a run of at most MAX_RUN marks, a token within TOKEN_WINDOW), but for
 * the search for the next mark of a kind, which goes on from where the last one stopped.
 */
#define LEFT_DOUBLE 0x201C  /* “ */
#define RIGHT_DOUBLE 0x201D /* ” */
#define LEFT_SINGLE 0x2018  /* ‘ */
#define RIGHT_SINGLE 0x2019 /* ’ */
#define QUOTE_RUN 6         /* MAX_RUN of cleantext.quotes */
#define TOKEN_WINDOW 80     /* TOKEN_WINDOW of cleantext.quotes */
#define NO_CHAR ((Py_UCS4)0x110000) /* what stands before the start or after the end */

enum {
    ROLE_DEBRIS, ROLE_UNSURE, ROLE_PRIME, ROLE_APOSTROPHE, ROLE_MAYBE, ROLE_OPEN, ROLE_CLOSE,
    ROLE_QUOTATION
};

typedef struct {
    int kind;
    const void *data;
    Py_ssize_t length; /* of the whole text */
} Text;

static inline Py_UCS4
char_at(const Text *t, Py_ssize_t i)
{
    return PyUnicode_READ(t->kind, t->data, i);
}

/* text[i] where 0 <= i < limit, else NO_CHAR. */
static inline Py_UCS4
char_within(const Text *t, Py_ssize_t i, Py_ssize_t limit)
{
    return (i >= 0 && i < limit) ? char_at(t, i) : NO_CHAR;
}

static inline int
is_quote_mark(Py_UCS4 ch)
{
    return ch == '"' || ch == '\'' || ch == LEFT_DOUBLE || ch == RIGHT_DOUBLE ||
           ch == LEFT_SINGLE || ch == RIGHT_SINGLE;
}

static inline int
is_single_mark(Py_UCS4 ch)
{
    return ch == '\'' || ch == LEFT_SINGLE || ch == RIGHT_SINGLE;
}

static inline int
is_straight(Py_UCS4 ch)
{
    return ch == '"' || ch == '\'';
}

/* ’ or ': the marks that close a single quotation and end ``’n’``. */
static inline int
is_right_single(Py_UCS4 ch)
{
    return ch == RIGHT_SINGLE || ch == '\'';
}

/* OPENING_CONTEXT (but for the empty string: NO_CHAR is not in it). */
static inline int
is_opening_context(Py_UCS4 ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '(' || ch == '[' || ch == '{' ||
           ch == 0x2014 || ch == 0x2013 || ch == '-' || ch == '/';
}

static inline int
is_dash(Py_UCS4 ch)
{
    return ch == '-' || ch == 0x2013 || ch == 0x2014;
}

/* \s, \d and [^\W_] of re (str.isspace, str.isdecimal, str.isalnum); NO_CHAR is none. */
static inline int
is_space(Py_UCS4 ch)
{
    return ch != NO_CHAR && Py_UNICODE_ISSPACE(ch);
}

static inline int
is_decimal(Py_UCS4 ch)
{
    return ch != NO_CHAR && Py_UNICODE_ISDECIMAL(ch);
}

static inline int
is_alnum(Py_UCS4 ch)
{
    return ch != NO_CHAR && is_alnum_char(ch);
}

static inline int
is_word_char(Py_UCS4 ch)
{
    return ch != NO_CHAR && is_word(ch);
}

/* Whether re, ignoring case, matches ``ch`` to the ASCII lower-case ``letter``. */
static inline int
same_letter_ignoring_case(Py_UCS4 ch, char letter)
{
    return ascii_lower(ch) == (Py_UCS4)letter || (letter == 'i' && (ch == 0x130 || ch == 0x131)) ||
           (letter == 's' && ch == 0x17F) || (letter == 'k' && ch == 0x212A);
}

/* ELISION_START of cleantext.quotes, or a decimal digit: what an elision can start with. */
static inline int
is_elision_start(Py_UCS4 ch)
{
    return ch == 't' || ch == 'T' || ch == 'e' || ch == 'E' || ch == 'c' || ch == 'C' ||
           ch == 'n' || ch == 'N' || ch == 'b' || ch == 'B' || is_decimal(ch);
}

/* Whether ``ELISION_AFTER.match(text, at)`` matches, the text cut at ``limit``. */
static int
elision_after(const Text *t, Py_ssize_t at, Py_ssize_t limit)
{
    static const char *const words[] = {"tis", "twas", "em", "cause", "til", "bout"};
    Py_UCS4 first = char_within(t, at, limit), second = char_within(t, at + 1, limit);
    if (is_decimal(first) && is_decimal(second)) {
        Py_UCS4 third = char_within(t, at + 2, limit);
        return (third != NO_CHAR && same_letter_ignoring_case(third, 's')) ||
               !is_word_char(third);
    }
    if (first != NO_CHAR && same_letter_ignoring_case(first, 'n') && is_right_single(second)) {
        return 1;
    }
    for (size_t w = 0; w < sizeof words / sizeof *words; w++) {
        Py_ssize_t k = 0;
        while (words[w][k] != '\0') {
            Py_UCS4 ch = char_within(t, at + k, limit);
            if (ch == NO_CHAR || !same_letter_ignoring_case(ch, words[w][k])) {
                break;
            }
            k++;
        }
        if (words[w][k] == '\0' && !is_word_char(char_within(t, at + k, limit))) {
            return 1;
        }
    }
    return 0;
}

/* ``(?<![^ \t\n(\[{—–\-/].)`` read right after the mark at i: at the start or after one of
 * OPENING_CONTEXT. */
static inline int
after_opening_context(const Text *t, Py_ssize_t i)
{
    return i == 0 || is_opening_context(char_at(t, i - 1));
}

/* The apostrophe branch of MARK_ROLE (_APOSTROPHE_IF) for the mark at i, the text cut at end. */
static int
pattern_apostrophe(const Text *t, Py_ssize_t i, Py_ssize_t end)
{
    Py_UCS4 mark = char_at(t, i);
    if (!is_single_mark(mark)) {
        return 0;
    }
    Py_UCS4 before = char_within(t, i - 1, end), after = char_within(t, i + 1, end);
    if (is_alnum(before) && is_alnum(after)) {
        return 1; /* I’m */
    }
    if (is_right_single(mark) && i >= 2 && is_right_single(char_at(t, i - 2)) && before == 'n') {
        return 1; /* the second mark of ’n’ */
    }
    int elision_start = is_elision_start(after);
    if (!(after == 's' || elision_start) || !after_opening_context(t, i)) {
        return 0;
    }
    if (is_right_single(mark) && (i == 0 || is_dash(before)) && after == 's' &&
        !is_word_char(char_within(t, i + 2, end))) {
        return 1; /* General----’s */
    }
    return elision_start && elision_after(t, i + 1, end); /* ’90s */
}

/* ``_is_apostrophe(text, i, before, after)``, on the whole text. */
static int
is_apostrophe(const Text *t, Py_ssize_t i, Py_UCS4 before, Py_UCS4 after)
{
    Py_UCS4 mark = char_at(t, i);
    if (is_alnum(before) && is_alnum(after)) {
        return 1;
    }
    /* (An empty ``before`` is in any string.) */
    if (mark != LEFT_SINGLE && after == 's' && (before == NO_CHAR || is_dash(before)) &&
        !is_word_char(char_within(t, i + 2, t->length))) {
        return 1;
    }
    int elision_start = is_elision_start(after);
    if (elision_start &&
        (before == NO_CHAR || is_opening_context(before) || before == LEFT_DOUBLE ||
         before == '"') &&
        elision_after(t, i + 1, t->length)) {
        return 1;
    }
    return mark != LEFT_SINGLE && i >= 2 && char_at(t, i - 1) == 'n' &&
           is_right_single(char_at(t, i - 2));
}

/* ``_role(text, i)``, on the whole text. */
static int
python_role(const Text *t, Py_ssize_t i)
{
    Py_UCS4 mark = char_at(t, i);
    Py_UCS4 before = char_within(t, i - 1, t->length), after = char_within(t, i + 1, t->length);
    if (is_straight(mark) && before != NO_CHAR && Py_UNICODE_ISDIGIT(before)) {
        return ROLE_PRIME;
    }
    if (is_single_mark(mark) && is_apostrophe(t, i, before, after)) {
        return ROLE_APOSTROPHE;
    }
    Py_UCS4 outer_before = before, outer_after = after;
    if (is_quote_mark(before) || is_quote_mark(after)) {
        Py_ssize_t run_start = i, run_end = i + 1;
        Py_ssize_t lowest = i - QUOTE_RUN > 0 ? i - QUOTE_RUN : 0;
        Py_ssize_t highest = i + QUOTE_RUN < t->length ? i + QUOTE_RUN : t->length;
        while (run_start > lowest && is_quote_mark(char_at(t, run_start - 1))) {
            run_start--;
        }
        while (run_end < highest && is_quote_mark(char_at(t, run_end))) {
            run_end++;
        }
        outer_before = char_within(t, run_start - 1, t->length);
        outer_after = char_within(t, run_end, t->length);
    }
    if (outer_before == NO_CHAR || is_opening_context(outer_before)) {
        return (outer_after == NO_CHAR || is_space(outer_after)) ? ROLE_MAYBE : ROLE_OPEN;
    }
    if (is_right_single(mark) && (before == 's' || before == 'S') &&
        (after == NO_CHAR || is_space(after) || is_quote_mark(after))) {
        return ROLE_MAYBE;
    }
    return ROLE_CLOSE;
}

/* Whether the mark at i has a role of _UNSURE_IF, the text cut at end. */
static inline int
pattern_unsure(const Text *t, Py_ssize_t i, Py_ssize_t end)
{
    Py_UCS4 before = char_within(t, i - 1, end);
    if (is_quote_mark(char_within(t, i + 1, end)) || is_quote_mark(before)) {
        return 1;
    }
    return is_straight(char_at(t, i)) && before != NO_CHAR && before >= 128 && is_word(before) &&
           !Py_UNICODE_ISDECIMAL(before);
}

static inline int
pattern_prime(const Text *t, Py_ssize_t i)
{
    return is_straight(char_at(t, i)) && i >= 1 && is_decimal(char_at(t, i - 1));
}

/* _MAYBE_IF for the mark at i, the text cut at end. */
static inline int
pattern_maybe(const Text *t, Py_ssize_t i, Py_ssize_t end)
{
    Py_UCS4 after = char_within(t, i + 1, end);
    if (after != NO_CHAR && !Py_UNICODE_ISSPACE(after)) {
        return 0;
    }
    if (after_opening_context(t, i)) {
        return 1;
    }
    Py_UCS4 before = char_at(t, i - 1);
    return is_right_single(char_at(t, i)) && (before == 's' || before == 'S');
}

/* The quotation group of QUOTATION_OR_MARK_ROLE, for an opener at i: the closer's place, or
 * -1 where there is no such quotation. */
static Py_ssize_t
pattern_quotation(const Text *t, Py_ssize_t i, Py_ssize_t end)
{
    Py_UCS4 opener = char_at(t, i);
    if (opener == '\'') {
        return -1;
    }
    Py_ssize_t j = i + 1;
    while (j < end && !is_quote_mark(char_at(t, j))) {
        j++;
    }
    if (j >= end || j == i + 1) {
        return -1;
    }
    Py_UCS4 closer = char_at(t, j), before = char_at(t, j - 1);
    int glued = is_alnum(char_within(t, j + 1, end));
    int pairs;
    if (opener == LEFT_DOUBLE) {
        pairs = closer == LEFT_DOUBLE || closer == RIGHT_DOUBLE || closer == '"';
    }
    else if (opener == RIGHT_DOUBLE || opener == '"') {
        pairs = closer == RIGHT_DOUBLE || closer == '"' || (closer == LEFT_DOUBLE && !glued);
    }
    else if (opener == LEFT_SINGLE) {
        pairs = closer == LEFT_SINGLE || closer == RIGHT_SINGLE;
    }
    else { /* ’ */
        pairs = closer == RIGHT_SINGLE || (closer == LEFT_SINGLE && !glued);
    }
    if (!pairs) {
        return -1;
    }
    /* _CLOSES, read right after the closer. */
    if (!pattern_maybe(t, j, end) && is_opening_context(before)) {
        return -1;
    }
    if (pattern_unsure(t, j, end) || pattern_prime(t, j) || pattern_apostrophe(t, j, end)) {
        return -1;
    }
    return j;
}

/* The role MARK_ROLE (QUOTATION_OR_MARK_ROLE where ``quotations``) gives the mark at i, and in
 * ``match_end`` where its match ends. */
static int
pattern_role(const Text *t, Py_ssize_t i, Py_ssize_t end, int quotations, Py_ssize_t *match_end)
{
    Py_ssize_t run_end = i + 1;
    while (run_end < end && is_quote_mark(char_at(t, run_end))) {
        run_end++;
    }
    if (run_end - (i + 1) >= QUOTE_RUN) {
        *match_end = run_end;
        return ROLE_DEBRIS;
    }
    *match_end = i + 1;
    if (pattern_unsure(t, i, end)) {
        return ROLE_UNSURE;
    }
    if (pattern_prime(t, i)) {
        return ROLE_PRIME;
    }
    if (pattern_apostrophe(t, i, end)) {
        return ROLE_APOSTROPHE;
    }
    if (pattern_maybe(t, i, end)) {
        return ROLE_MAYBE;
    }
    if (!after_opening_context(t, i)) {
        return ROLE_CLOSE;
    }
    if (quotations) {
        Py_ssize_t closer = pattern_quotation(t, i, end);
        if (closer >= 0) {
            *match_end = closer + 1;
            return ROLE_QUOTATION;
        }
    }
    return ROLE_OPEN;
}

/* ``_in_code(text, i, start, end)``. */
static int
in_code(const Text *t, Py_ssize_t i, Py_ssize_t start, Py_ssize_t end)
{
    Py_ssize_t window_start = i - TOKEN_WINDOW > start ? i - TOKEN_WINDOW : start;
    Py_ssize_t window_end = i + TOKEN_WINDOW < end ? i + TOKEN_WINDOW : end;
    Py_ssize_t token_start = window_start, token_end = window_end;
    for (Py_ssize_t k = i - 1; k >= window_start; k--) {
        if (char_at(t, k) == ' ') {
            token_start = k + 1;
            break;
        }
    }
    for (Py_ssize_t k = i; k < window_end; k++) {
        if (char_at(t, k) == ' ') {
            token_end = k;
            break;
        }
    }
    for (Py_ssize_t k = token_start; k < token_end; k++) { /* CODE_LIKE */
        Py_UCS4 ch = char_at(t, k);
        if (ch == '=' || ch == '<' || ch == '>' || ch == '{' || ch == '}' || ch == '\\' ||
            ch == '`') {
            return 1;
        }
        if (k + 1 < token_end && char_at(t, k + 1) == '(' && is_word(ch)) {
            return 1;
        }
    }
    for (Py_ssize_t k = token_start - 1; k >= window_start; k--) {
        Py_UCS4 ch = char_at(t, k);
        if (!Py_UNICODE_ISSPACE(ch)) {
            return ch == '=' || ch == '(' || ch == '[' || ch == '{';
        }
    }
    return 0;
}

/* ``_NextMark``: the next mark of each kind (0 double, 1 single) that is no apostrophe or
 * prime, found from where the last search stopped. */
typedef struct {
    Py_ssize_t found[2];
} NextMark;

static int
next_mark_closes(const Text *t, NextMark *next, int single, Py_ssize_t i, Py_ssize_t end)
{
    Py_ssize_t at = next->found[single];
    if (at <= i) {
        for (at = i + 1; at < end; at++) {
            Py_UCS4 ch = char_at(t, at);
            if (is_quote_mark(ch) && is_single_mark(ch) == single) {
                int role = python_role(t, at);
                if (role != ROLE_APOSTROPHE && role != ROLE_PRIME) {
                    break;
                }
            }
        }
        next->found[single] = at;
    }
    if (at >= end) {
        return 0;
    }
    Py_UCS4 mark = char_at(t, at);
    if (mark == LEFT_DOUBLE || mark == LEFT_SINGLE) {
        return 0;
    }
    if (mark == RIGHT_DOUBLE || mark == RIGHT_SINGLE) {
        return 1;
    }
    int role = python_role(t, at);
    return role == ROLE_CLOSE || role == ROLE_MAYBE;
}

/* OPENER_GLYPH and CLOSER_GLYPH of cleantext.quotes: a straight mark stays straight. */
static inline Py_UCS4
opener_glyph(Py_UCS4 mark)
{
    return mark == RIGHT_DOUBLE ? LEFT_DOUBLE : mark == RIGHT_SINGLE ? LEFT_SINGLE : mark;
}

static inline Py_UCS4
closer_glyph(Py_UCS4 mark, int single)
{
    if (is_straight(mark)) {
        return single ? '\'' : '"';
    }
    return single ? RIGHT_SINGLE : RIGHT_DOUBLE;
}

/* glyphs[at] = glyph; -1 with an exception if that failed. */
static int
set_glyph(PyObject *glyphs, Py_ssize_t at, Py_UCS4 glyph)
{
    PyObject *key = PyLong_FromSsize_t(at);
    PyObject *value = key == NULL ? NULL : PyUnicode_FromOrdinal((int)glyph);
    int failed = value == NULL || PyDict_SetItem(glyphs, key, value) < 0;
    Py_XDECREF(key);
    Py_XDECREF(value);
    return failed ? -1 : 0;
}

static int
append_place(PyObject *list, Py_ssize_t at)
{
    PyObject *place = PyLong_FromSsize_t(at);
    int failed = place == NULL || PyList_Append(list, place) < 0;
    Py_XDECREF(place);
    return failed ? -1 : 0;
}

static int
set_closer(PyObject *closers, Py_ssize_t opener, Py_ssize_t closer)
{
    PyObject *key = PyLong_FromSsize_t(opener);
    PyObject *value = key == NULL ? NULL : PyLong_FromSsize_t(closer);
    int failed = value == NULL || PyDict_SetItem(closers, key, value) < 0;
    Py_XDECREF(key);
    Py_XDECREF(value);
    return failed ? -1 : 0;
}

/* The first quote mark at or after ``from``, before ``end`` (``end`` where none is). */
static Py_ssize_t
next_quote_mark(const Text *t, Py_ssize_t from, Py_ssize_t end)
{
    Py_ssize_t j = from;
    switch (t->kind) {
    case PyUnicode_1BYTE_KIND: {
        const Py_UCS1 *chars = t->data;
        while (j < end && chars[j] != '"' && chars[j] != '\'') {
            j++;
        }
        break;
    }
    case PyUnicode_2BYTE_KIND: {
        const Py_UCS2 *chars = t->data;
        while (j < end && !is_quote_mark(chars[j])) {
            j++;
        }
        break;
    }
    default: {
        const Py_UCS4 *chars = t->data;
        while (j < end && !is_quote_mark(chars[j])) {
            j++;
        }
        break;
    }
    }
    return j;
}

/* Whether text[start:end] holds a character of CODE_CHAR. */
static int
has_code_char(const Text *t, Py_ssize_t start, Py_ssize_t end)
{
    for (Py_ssize_t k = start; k < end; k++) {
        Py_UCS4 ch = char_at(t, k);
        if (ch == '=' || ch == '<' || ch == '>' || ch == '{' || ch == '}' || ch == '\\' ||
            ch == '`' || ch == '(' || ch == '[') {
            return 1;
        }
    }
    return 0;
}

typedef struct {
    Py_ssize_t *places;
    unsigned char *single;
    Py_ssize_t size, capacity;
    Py_ssize_t in_stack[2];
} OpenerStack;

static int
push_opener(OpenerStack *stack, Py_ssize_t at, int single)
{
    if (stack->size == stack->capacity) {
        Py_ssize_t capacity = stack->capacity ? 2 * stack->capacity : 16;
        Py_ssize_t *places = PyMem_Realloc(stack->places, capacity * sizeof *places);
        if (places == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        stack->places = places;
        unsigned char *kinds = PyMem_Realloc(stack->single, capacity);
        if (kinds == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        stack->single = kinds;
        stack->capacity = capacity;
    }
    stack->places[stack->size] = at;
    stack->single[stack->size++] = (unsigned char)single;
    stack->in_stack[single]++;
    return 0;
}

/* The pairing loop of ``_quotations``; -1 with an exception if it failed. */
static int
pair_quotes(const Text *t, Py_ssize_t start, Py_ssize_t end, PyObject *top[2], PyObject *closers,
            OpenerStack *stack, PyObject *glyphs, int *ambiguous)
{
    int maybe_code = has_code_char(t, start, end);
    NextMark next = {{-1, -1}};
    Py_ssize_t at = start;
    while ((at = next_quote_mark(t, at, end)) < end) {
        Py_ssize_t i = at;
        int role = pattern_role(t, i, end, !maybe_code, &at);
        Py_UCS4 mark = char_at(t, i);
        if (role == ROLE_QUOTATION) {
            Py_ssize_t closer = at - 1;
            Py_UCS4 closing = char_at(t, closer);
            int single = is_single_mark(mark);
            if (stack->size == 0 &&
                (append_place(top[single], i) < 0 || set_closer(closers, i, closer) < 0)) {
                return -1;
            }
            if ((mark == RIGHT_DOUBLE || mark == RIGHT_SINGLE) &&
                set_glyph(glyphs, i, opener_glyph(mark)) < 0) {
                return -1;
            }
            if ((closing == LEFT_DOUBLE || closing == LEFT_SINGLE) &&
                set_glyph(glyphs, closer, closer_glyph(closing, single)) < 0) {
                return -1;
            }
            if (!single && stack->in_stack[0] == 0 && (mark == '"') != (closing == '"')) {
                if (mark == '"') {
                    if (set_glyph(glyphs, i, LEFT_DOUBLE) < 0) {
                        return -1;
                    }
                }
                else if (!Py_UNICODE_ISDIGIT(char_at(t, closer - 1)) &&
                         set_glyph(glyphs, closer, RIGHT_DOUBLE) < 0) {
                    return -1;
                }
            }
            continue;
        }
        if (role == ROLE_DEBRIS || role == ROLE_APOSTROPHE || role == ROLE_PRIME) {
            continue;
        }
        if (maybe_code && in_code(t, i, start, end)) {
            continue;
        }
        if (role == ROLE_UNSURE) {
            role = python_role(t, i);
            if (role == ROLE_APOSTROPHE || role == ROLE_PRIME) {
                continue;
            }
        }
        if (mark == '\'') {
            *ambiguous = 1;
            continue;
        }
        int single = is_single_mark(mark);
        if (role == ROLE_OPEN) {
            if ((mark == RIGHT_DOUBLE || mark == RIGHT_SINGLE) && i >= 1 &&
                char_at(t, i - 1) == opener_glyph(mark)) {
                continue;
            }
            if (stack->size == 0 && append_place(top[single], i) < 0) {
                return -1;
            }
            if (push_opener(stack, i, single) < 0) {
                return -1;
            }
            if ((mark == RIGHT_DOUBLE || mark == RIGHT_SINGLE) &&
                set_glyph(glyphs, i, opener_glyph(mark)) < 0) {
                return -1;
            }
            continue;
        }
        if (stack->size == 0) {
            continue;
        }
        Py_ssize_t last = stack->places[stack->size - 1];
        if ((mark == LEFT_DOUBLE || mark == LEFT_SINGLE) &&
            is_alnum(char_within(t, i + 1, t->length)) && char_at(t, last) != mark) {
            continue;
        }
        int open_single = stack->single[stack->size - 1];
        if (open_single != single) {
            if (role == ROLE_MAYBE || stack->in_stack[single] > 0 ||
                next_mark_closes(t, &next, open_single, i, end)) {
                continue;
            }
            single = open_single;
            if (set_glyph(glyphs, i, closer_glyph(mark, single)) < 0) {
                return -1;
            }
        }
        else if ((mark == LEFT_DOUBLE || mark == LEFT_SINGLE) &&
                 set_glyph(glyphs, i, closer_glyph(mark, single)) < 0) {
            return -1;
        }
        stack->size--;
        stack->in_stack[single]--;
        if (stack->size == 0 && set_closer(closers, stack->places[0], i) < 0) {
            return -1;
        }
    }
    return 0;
}

static PyObject *
quote_pairs(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (argument_count(nargs, 3, "quote_pairs") < 0) {
        return NULL;
    }
    PyObject *text = text_argument(args[0]);
    Py_ssize_t bounds[2];
    if (text == NULL || integer_arguments(args, 1, 2, bounds) < 0) {
        return NULL;
    }
    Text t = {PyUnicode_KIND(text), PyUnicode_DATA(text), PyUnicode_GET_LENGTH(text)};
    Py_ssize_t start = bounds[0], end = bounds[1];
    if (start < 0 || end < start || end > t.length) {
        PyErr_SetString(PyExc_ValueError, "need 0 <= start <= end <= len(text)");
        return NULL;
    }
    PyObject *top[2] = {PyList_New(0), PyList_New(0)};
    PyObject *closers = PyDict_New(), *glyphs = PyDict_New(), *unclosed = NULL;
    PyObject *result = NULL;
    OpenerStack stack = {NULL, NULL, 0, 0, {0, 0}};
    int ambiguous = 0;
    if (top[0] == NULL || top[1] == NULL || closers == NULL || glyphs == NULL ||
        pair_quotes(&t, start, end, top, closers, &stack, glyphs, &ambiguous) < 0) {
        goto done;
    }
    unclosed = PyList_New(0);
    for (Py_ssize_t k = 0; unclosed != NULL && k < stack.size; k++) {
        if (append_place(unclosed, stack.places[k]) < 0) {
            goto done;
        }
    }
    if (unclosed != NULL) {
        result = Py_BuildValue("(OOOOOO)", top[0], top[1], closers, unclosed, glyphs,
                               ambiguous ? Py_True : Py_False);
    }
done:
    PyMem_Free(stack.places);
    PyMem_Free(stack.single);
    Py_XDECREF(top[0]);
    Py_XDECREF(top[1]);
    Py_XDECREF(closers);
    Py_XDECREF(glyphs);
    Py_XDECREF(unclosed);
    return result;
}

/* words_held(texts, wanted) -> list of sets
 *
 * For each of texts, which of ``wanted`` (a set of words, str, and of word triples, tuples
 * of three str) it holds: a word among its words, a triple as three of its words in a row,
 * the words of a text being what re.findall(r"\w+", text) lists (cleantext.kernels'
 * py_words_held).  One pass over each text: each of its words, and each three in a row, is
 * looked up by hash in one table of what is wanted, and compared by value where the hashes
 * are equal (a collision never counts as held).  Work: the texts' length plus the size of
 * what is wanted, once; a text's pass stops once it holds all of it.
 */
typedef struct {
    Py_uhash_t hash;     /* of the word, or of the triple's three hashes */
    Py_uhash_t parts[3]; /* the hash of each word */
    PyObject *key;       /* the word or the triple */
    PyObject *words[3];  /* its words */
    Py_ssize_t held_by;  /* the last text found to hold it, or -1 */
} Wanted;

typedef struct {
    Wanted *entries;
    Py_ssize_t count, capacity;
    Py_ssize_t *slots; /* per slot, an entry's index + 1, or 0 where empty */
    Py_ssize_t mask;
} WantedTable;

static Py_uhash_t
word_hash(PyObject *word)
{
    int kind = PyUnicode_KIND(word);
    const void *data = PyUnicode_DATA(word);
    Py_uhash_t hash = FNV_OFFSET;
    for (Py_ssize_t k = 0; k < PyUnicode_GET_LENGTH(word); k++) {
        hash = (hash ^ PyUnicode_READ(kind, data, k)) * FNV_PRIME;
    }
    return hash;
}

static inline Py_uhash_t
triple_hash(Py_uhash_t first, Py_uhash_t second, Py_uhash_t third)
{
    return ((first * FNV_PRIME) ^ second) * FNV_PRIME ^ third;
}

static inline Py_ssize_t
slot_of(Py_uhash_t hash, Py_ssize_t mask)
{
    return (Py_ssize_t)((hash ^ (hash >> 29)) & (Py_uhash_t)mask);
}

static void
free_wanted(WantedTable *table)
{
    for (Py_ssize_t k = 0; k < table->count; k++) {
        Py_DECREF(table->entries[k].key);
    }
    PyMem_Free(table->entries);
    PyMem_Free(table->slots);
}

static int
allocate_wanted(WantedTable *table, Py_ssize_t capacity)
{
    Py_ssize_t slots = 8;
    while (slots < 2 * capacity) {
        slots *= 2;
    }
    table->capacity = capacity;
    table->mask = slots - 1;
    table->entries = PyMem_Calloc(capacity ? capacity : 1, sizeof(Wanted));
    table->slots = PyMem_Calloc(slots, sizeof(Py_ssize_t));
    if (table->entries == NULL || table->slots == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    return 0;
}

/* Adds ``item`` (a new reference, which the table keeps) to the table of words (size 1) or
 * of triples (size 3): 0, or -1 with an exception. */
static int
add_wanted(WantedTable *table, PyObject *item, int size)
{
    if (table->count >= table->capacity) {
        Py_DECREF(item);
        PyErr_SetString(PyExc_RuntimeError, "the set changed size during the call");
        return -1;
    }
    Wanted *entry = &table->entries[table->count++];
    entry->key = item;
    entry->held_by = -1;
    for (int k = 0; k < size; k++) {
        entry->words[k] = size == 1 ? item : PyTuple_GET_ITEM(item, k);
        if (text_argument(entry->words[k]) == NULL) {
            PyErr_SetString(PyExc_TypeError, "wanted must hold str and tuples of three str");
            return -1;
        }
        entry->parts[k] = word_hash(entry->words[k]);
    }
    entry->hash = size == 1 ? entry->parts[0]
                            : triple_hash(entry->parts[0], entry->parts[1], entry->parts[2]);
    Py_ssize_t slot = slot_of(entry->hash, table->mask);
    while (table->slots[slot] != 0) {
        slot = (slot + 1) & table->mask;
    }
    table->slots[slot] = table->count; /* the entry's index + 1 */
    return 0;
}

/* The tables of the words and of the triples of ``wanted`` (a set): 0, or -1 with an
 * exception (an item neither a str nor a tuple of three str). */
static int
fill_wanted(WantedTable *words, WantedTable *triples, PyObject *wanted)
{
    if (!PyAnySet_Check(wanted)) {
        PyErr_SetString(PyExc_TypeError, "wanted must be a set");
        return -1;
    }
    Py_ssize_t size = PySet_GET_SIZE(wanted);
    if (allocate_wanted(words, size) < 0 || allocate_wanted(triples, size) < 0) {
        return -1;
    }
    PyObject *iterator = PyObject_GetIter(wanted);
    if (iterator == NULL) {
        return -1;
    }
    PyObject *item;
    while ((item = PyIter_Next(iterator)) != NULL) {
        int added;
        if (PyUnicode_Check(item)) {
            added = add_wanted(words, item, 1);
        }
        else if (PyTuple_Check(item) && PyTuple_GET_SIZE(item) == 3) {
            added = add_wanted(triples, item, 3);
        }
        else {
            Py_DECREF(item);
            PyErr_SetString(PyExc_TypeError, "wanted must hold str and tuples of three str");
            added = -1;
        }
        if (added < 0) {
            break;
        }
    }
    Py_DECREF(iterator);
    return PyErr_Occurred() ? -1 : 0;
}

/* Whether text[start:end] is ``word``. */
static inline int
same_word(int kind, const void *data, Py_ssize_t start, Py_ssize_t end, PyObject *word)
{
    if (PyUnicode_GET_LENGTH(word) != end - start) {
        return 0;
    }
    int word_kind = PyUnicode_KIND(word);
    const void *letters = PyUnicode_DATA(word);
    for (Py_ssize_t k = 0; k < end - start; k++) {
        if (PyUnicode_READ(kind, data, start + k) != PyUnicode_READ(word_kind, letters, k)) {
            return 0;
        }
    }
    return 1;
}

/* Adds to ``held`` the entries of ``table`` that are the last ``size`` words read (``starts``,
 * ``ends`` and ``hashes``, a ring of three indexed by ``last``, their newest) and that text
 * ``number`` was not yet found to hold: how many, or -1 with an exception. */
static Py_ssize_t
look_up(WantedTable *table, Py_ssize_t number, PyObject *held, int kind, const void *data,
        const Py_ssize_t *starts, const Py_ssize_t *ends, const Py_uhash_t *hashes,
        Py_ssize_t last, int size)
{
    Py_ssize_t order[3]; /* ring places of the words, oldest first */
    for (int k = 0; k < size; k++) {
        order[k] = (last + 3 - (size - 1 - k)) % 3;
    }
    Py_uhash_t hash = size == 1 ? hashes[order[0]]
                                : triple_hash(hashes[order[0]], hashes[order[1]], hashes[order[2]]);
    Py_ssize_t newly = 0;
    for (Py_ssize_t slot = slot_of(hash, table->mask); table->slots[slot] != 0;
         slot = (slot + 1) & table->mask) {
        Wanted *entry = &table->entries[table->slots[slot] - 1];
        if (entry->held_by == number || entry->hash != hash) {
            continue;
        }
        int k = 0;
        while (k < size && entry->parts[k] == hashes[order[k]] &&
               same_word(kind, data, starts[order[k]], ends[order[k]], entry->words[k])) {
            k++;
        }
        if (k == size) {
            if (PySet_Add(held, entry->key) < 0) {
                return -1;
            }
            entry->held_by = number;
            newly++;
        }
    }
    return newly;
}

/* What of the tables text ``number`` holds, added to ``held``: 0, or -1 with an exception. */
static int
held_in(WantedTable *words, WantedTable *triples, Py_ssize_t number, PyObject *text,
        PyObject *held)
{
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    Py_ssize_t missing = words->count + triples->count;
    Py_ssize_t starts[3], ends[3];
    Py_uhash_t hashes[3];
    Py_ssize_t read = 0; /* words read */
    Py_ssize_t i = 0;
    while (i < length && missing > 0) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        if (!is_word(ch)) {
            i++;
            continue;
        }
        Py_ssize_t start = i;
        Py_uhash_t hash = FNV_OFFSET;
        do {
            hash = (hash ^ ch) * FNV_PRIME;
            i++;
        } while (i < length && is_word(ch = PyUnicode_READ(kind, data, i)));
        Py_ssize_t last = read % 3;
        starts[last] = start;
        ends[last] = i;
        hashes[last] = hash;
        read++;
        Py_ssize_t newly = 0;
        if (words->count > 0) {
            newly = look_up(words, number, held, kind, data, starts, ends, hashes, last, 1);
        }
        if (newly >= 0 && read >= 3 && triples->count > 0) {
            Py_ssize_t more = look_up(triples, number, held, kind, data, starts, ends, hashes,
                                      last, 3);
            newly = more < 0 ? -1 : newly + more;
        }
        if (newly < 0) {
            return -1;
        }
        missing -= newly;
    }
    return 0;
}

static PyObject *
words_held(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (argument_count(nargs, 2, "words_held") < 0) {
        return NULL;
    }
    PyObject *texts = PySequence_Fast(args[0], "texts must be a sequence of str");
    if (texts == NULL) {
        return NULL;
    }
    WantedTable words = {0}, triples = {0};
    PyObject *result = NULL;
    if (fill_wanted(&words, &triples, args[1]) < 0) {
        goto done;
    }
    Py_ssize_t count = PySequence_Fast_GET_SIZE(texts);
    result = PyList_New(count);
    for (Py_ssize_t t = 0; result != NULL && t < count; t++) {
        PyObject *text = text_argument(PySequence_Fast_GET_ITEM(texts, t));
        PyObject *held = text == NULL ? NULL : PySet_New(NULL);
        if (held != NULL) {
            PyList_SET_ITEM(result, t, held);
        }
        if (held == NULL || held_in(&words, &triples, t, text, held) < 0) {
            Py_CLEAR(result);
        }
    }
done:
    Py_DECREF(texts);
    free_wanted(&words);
    free_wanted(&triples);
    return result;
}

static PyMethodDef speedups_methods[] = {
    {"run_candidates", (PyCFunction)(void (*)(void))run_candidates, METH_FASTCALL,
     "run_candidates(pieces, first, end, min_words, max_words): where a run may repeat."},
    {"may_loop", (PyCFunction)(void (*)(void))may_loop, METH_FASTCALL,
     "may_loop(text, offset, min_words, max_words): whether run_candidates finds any."},
    {"mojibake_sign", (PyCFunction)(void (*)(void))mojibake_sign, METH_FASTCALL,
     "mojibake_sign(text, leads, continuations, space_leads, removable, spaces): any sign."},
    {"doubled_word_places", (PyCFunction)(void (*)(void))doubled_word_places, METH_FASTCALL,
     "doubled_word_places(text, words): where doubled words may start, or None."},
    {"english_words", (PyCFunction)(void (*)(void))english_words, METH_FASTCALL,
     "english_words(text, limit, words): how many words text[:limit] has, and of words."},
    {"has_surrogate", (PyCFunction)(void (*)(void))has_surrogate, METH_FASTCALL,
     "has_surrogate(text): whether text holds a code point from U+D800 to U+DFFF."},
    {"quote_pairs", (PyCFunction)(void (*)(void))quote_pairs, METH_FASTCALL,
     "quote_pairs(text, start, end): how the paragraph's quote marks pair."},
    {"compile_signs", (PyCFunction)(void (*)(void))compile_signs, METH_FASTCALL,
     "compile_signs(groups): a table of the signs of each group, for find_signs."},
    {"find_signs", (PyCFunction)(void (*)(void))find_signs, METH_FASTCALL,
     "find_signs(table, text): a byte per group, 1 where text holds one of its signs."},
    {"words_held", (PyCFunction)(void (*)(void))words_held, METH_FASTCALL,
     "words_held(texts, wanted): which of the wanted words and triples each text holds."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef speedups_module = {
    PyModuleDef_HEAD_INIT, "_cleantext_speedups",
    "Compiled kernels of cleantext (see cleantext.kernels).", -1, speedups_methods,
};

PyMODINIT_FUNC
PyInit__cleantext_speedups(void)
{
    return PyModule_Create(&speedups_module);
}
