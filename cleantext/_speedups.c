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

/* str.isalnum of one character.  ASCII is asked directly: Py_UNICODE_ISALNUM looks a
 * character up four times over, and most text is mostly ASCII. */
static inline int
is_alnum_char(Py_UCS4 ch)
{
    if (ch < 128) {
        return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
    }
    return Py_UNICODE_ISALNUM(ch);
}

/* \w of re for str patterns. */
static inline int
is_word(Py_UCS4 ch)
{
    return ch == '_' || is_alnum_char(ch);
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
        Piece piece = {at, at + 1, at + 1, 0};
        while (piece.letters_end < length &&
               is_word(PyUnicode_READ(kind, data, piece.letters_end))) {
            piece.letters_end++;
        }
        piece.end = piece.letters_end;
        while (piece.end < length && !Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, piece.end))) {
            piece.end++;
        }
        while (piece.end < length && !is_word(PyUnicode_READ(kind, data, piece.end))) {
            piece.end++;
        }
        Py_uhash_t hash = 14695981039346656037ULL; /* FNV-1a over the code points */
        for (Py_ssize_t k = piece.start; k < piece.end; k++) {
            hash = (hash ^ PyUnicode_READ(kind, data, k)) * 1099511628211ULL;
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
    char starts[SIGN_BUCKETS];        /* whether any sign starts in the bucket */
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
        table->starts[sign_bucket(sign[0])] = 1;
    }
    PyObject *capsule = PyCapsule_New(table, SIGN_TABLE, sign_table_capsule_destructor);
    if (capsule == NULL) {
        free_sign_table(table);
    }
    return capsule;
}

/* Looks for the signs in text of one kind (the compiler makes a copy for each kind). */
static inline __attribute__((always_inline)) void
scan_signs(const SignTable *table, int kind, const void *data, Py_ssize_t length, char *found,
           Py_ssize_t remaining)
{
    for (Py_ssize_t i = 0; i < length && remaining > 0; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        Py_ssize_t bucket = sign_bucket(ch);
        if (!table->starts[bucket]) {
            continue;
        }
        for (Py_ssize_t s = table->singles[bucket]; s >= 0; s = table->next[s]) {
            if (!found[table->group[s]] && table->chars[table->start[s]] == ch) {
                found[table->group[s]] = 1;
                remaining--;
            }
        }
        if (i + 1 == length) {
            break;
        }
        Py_UCS4 second = PyUnicode_READ(kind, data, i + 1);
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
    uint32_t first_letters[4]; /* the ASCII letters words start with, as a bitmap */
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
 * ``found``, 0 where the text holds a character that folds to ASCII, -1 with an exception. */
static inline __attribute__((always_inline)) int
find_doubled(int kind, const void *data, Py_ssize_t length, const DoubledWords *table,
             PyObject *found)
{
    int after_word = 0; /* whether text[j - 1] is a word character */
    for (Py_ssize_t j = 0; j < length; j++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, j);
        int starts = !after_word && ch < 128 &&
                     ((table->first_letters[ascii_lower(ch) >> 5] >> (ascii_lower(ch) & 31)) & 1);
        after_word = ch < 128 ? (ch == '_' || (ch >= '0' && ch <= '9') ||
                                 (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'))
                              : is_word(ch);
        if (ch >= 128 && folds_to_ascii(ch)) {
            return 0;
        }
        if (!starts) {
            continue;
        }
        for (Py_ssize_t w = 0; w < table->count; w++) {
            const Py_UCS1 *letters = table->letters[w];
            Py_ssize_t size = table->sizes[w], gap = j + size, copy;
            if (gap >= length || !same_letters(kind, data, j, letters, size)) {
                continue;
            }
            copy = gap;
            while (copy < length && (PyUnicode_READ(kind, data, copy) == ' ' ||
                                     PyUnicode_READ(kind, data, copy) == '\t')) {
                copy++;
            }
            if (copy == gap || copy + size > length ||
                !same_letters(kind, data, copy, letters, size) ||
                (copy + size < length && is_word(PyUnicode_READ(kind, data, copy + size)))) {
                continue;
            }
            PyObject *place = PyLong_FromSsize_t(j);
            int failed = place == NULL || PyList_Append(found, place) < 0;
            Py_XDECREF(place);
            if (failed) {
                return -1;
            }
            break;
        }
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
    DoubledWords table = {count, {0}, {0}, {0, 0, 0, 0}};
    for (Py_ssize_t w = 0; w < count; w++) {
        PyObject *word = PyTuple_GET_ITEM(words, w);
        table.letters[w] = PyUnicode_1BYTE_DATA(word);
        table.sizes[w] = PyUnicode_GET_LENGTH(word);
        Py_UCS1 first = table.letters[w][0];
        table.first_letters[first >> 5] |= 1u << (first & 31);
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
    {"compile_signs", (PyCFunction)(void (*)(void))compile_signs, METH_FASTCALL,
     "compile_signs(groups): a table of the signs of each group, for find_signs."},
    {"find_signs", (PyCFunction)(void (*)(void))find_signs, METH_FASTCALL,
     "find_signs(table, text): a byte per group, 1 where text holds one of its signs."},
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
