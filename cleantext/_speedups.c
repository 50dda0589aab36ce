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

/* repeat_pairs(pieces, first, stop, max_distance) -> list of int
 *
 * For each index i in [first, stop - 1), the nearest j in [max(first, i - max_distance), i)
 * whose pair (pieces[j], pieces[j + 1]) equals (pieces[i], pieces[i + 1]); the result lists
 * j and i for each i that has one, flat and in order of i.  Pieces are compared by hash, then
 * by value (a hash collision never stands for an equal pair).  Work: at most max_distance
 * integer comparisons per piece.
 */
static PyObject *
repeat_pairs(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 4) {
        PyErr_SetString(PyExc_TypeError, "repeat_pairs takes 4 arguments");
        return NULL;
    }
    PyObject *pieces = args[0];
    if (!PyList_CheckExact(pieces)) {
        PyErr_SetString(PyExc_TypeError, "pieces must be a list of str");
        return NULL;
    }
    Py_ssize_t first = PyLong_AsSsize_t(args[1]);
    Py_ssize_t stop = PyLong_AsSsize_t(args[2]);
    Py_ssize_t max_distance = PyLong_AsSsize_t(args[3]);
    if (PyErr_Occurred()) {
        return NULL;
    }
    Py_ssize_t count = PyList_GET_SIZE(pieces);
    if (first < 0) {
        first = 0;
    }
    if (stop > count) {
        stop = count;
    }
    PyObject *found = PyList_New(0);
    if (found == NULL || stop - first < 2 || max_distance < 1) {
        return found;
    }
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
    for (Py_ssize_t i = 1; i + 1 < span; i++) {
        Py_ssize_t lowest = i - max_distance < 0 ? 0 : i - max_distance;
        for (Py_ssize_t j = i - 1; j >= lowest; j--) {
            if (hashes[j] != hashes[i] || hashes[j + 1] != hashes[i + 1]) {
                continue;
            }
            int same = PyUnicode_Compare(PyList_GET_ITEM(pieces, first + j),
                                         PyList_GET_ITEM(pieces, first + i)) == 0 &&
                       PyUnicode_Compare(PyList_GET_ITEM(pieces, first + j + 1),
                                         PyList_GET_ITEM(pieces, first + i + 1)) == 0;
            if (PyErr_Occurred()) {
                goto fail;
            }
            if (!same) {
                continue;
            }
            PyObject *before = PyLong_FromSsize_t(first + j);
            PyObject *after = PyLong_FromSsize_t(first + i);
            int failed = before == NULL || after == NULL || PyList_Append(found, before) < 0 ||
                         PyList_Append(found, after) < 0;
            Py_XDECREF(before);
            Py_XDECREF(after);
            if (failed) {
                goto fail;
            }
            break;
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
    {"repeat_pairs", (PyCFunction)(void (*)(void))repeat_pairs, METH_FASTCALL,
     "repeat_pairs(pieces, first, stop, max_distance): where each pair of pieces came before."},
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
