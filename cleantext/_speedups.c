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
 * Whether run_candidates would find anything in the pieces of text[offset:] (as the pattern
 * \w\S*\W* cuts them, from a word character at offset), read straight from the string: a
 * text where it finds nothing has no loop, and needs no list of pieces.  Only the last
 * 2 * max_words pieces are kept (a ring), so memory does not grow with the text.
 */
#define RING 64 /* a power of two, at least 2 * max_words */

typedef struct {
    Py_ssize_t start, end;
    Py_uhash_t hash;
} Piece;

static int
is_word(Py_UCS4 ch)
{
    /* \w of re for str patterns.  ASCII is asked directly: Py_UNICODE_ISALNUM looks a
     * character up four times over, and most text is mostly ASCII. */
    if (ch < 128) {
        return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
               ch == '_';
    }
    return Py_UNICODE_ISALNUM(ch);
}

static int
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
    Piece ring[RING];
    Py_ssize_t count = 0; /* pieces read */
    Py_ssize_t at = offset < 0 ? 0 : offset;
    if (at < length && !is_word(PyUnicode_READ(kind, data, at))) {
        PyErr_SetString(PyExc_ValueError, "offset must be at a word character");
        return NULL;
    }
    while (at < length) {
        /* A piece: a word character, the rest of its token, then the gap to the next word. */
        Piece piece = {at, at + 1, 0};
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
        ring[count % RING] = piece;
        at = piece.end;
        /* Runs whose copy ends with this piece: r = last - 2m + 1. */
        Py_ssize_t last = count++;
        for (Py_ssize_t m = min_words; m <= max_words && last - 2 * m + 1 >= 0; m++) {
            Py_ssize_t r = last - 2 * m + 1;
            Py_ssize_t k = 0;
            while (k < m - 1 &&
                   same_piece(kind, data, &ring[(r + k) % RING], &ring[(r + m + k) % RING])) {
                k++;
            }
            if (k == m - 1) {
                Py_RETURN_TRUE;
            }
        }
    }
    Py_RETURN_FALSE;
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

static PyMethodDef speedups_methods[] = {
    {"run_candidates", (PyCFunction)(void (*)(void))run_candidates, METH_FASTCALL,
     "run_candidates(pieces, first, end, min_words, max_words): where a run may repeat."},
    {"may_loop", (PyCFunction)(void (*)(void))may_loop, METH_FASTCALL,
     "may_loop(text, offset, min_words, max_words): whether run_candidates finds any."},
    {"mojibake_sign", (PyCFunction)(void (*)(void))mojibake_sign, METH_FASTCALL,
     "mojibake_sign(text, leads, continuations, space_leads, removable, spaces): any sign."},
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
