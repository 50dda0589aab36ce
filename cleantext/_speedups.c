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
    if (nargs != 5) {
        PyErr_SetString(PyExc_TypeError, "run_candidates takes 5 arguments");
        return NULL;
    }
    PyObject *pieces = args[0];
    if (!PyList_CheckExact(pieces)) {
        PyErr_SetString(PyExc_TypeError, "pieces must be a list of str");
        return NULL;
    }
    Py_ssize_t first = PyLong_AsSsize_t(args[1]);
    Py_ssize_t end = PyLong_AsSsize_t(args[2]);
    Py_ssize_t min_words = PyLong_AsSsize_t(args[3]);
    Py_ssize_t max_words = PyLong_AsSsize_t(args[4]);
    if (PyErr_Occurred()) {
        return NULL;
    }
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

static PyMethodDef speedups_methods[] = {
    {"run_candidates", (PyCFunction)(void (*)(void))run_candidates, METH_FASTCALL,
     "run_candidates(pieces, first, end, min_words, max_words): where a run may repeat."},
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
