/*
 * Pacote de linhas para storage._gravacao_sqlite.gravar, montado em C por
 * _carga_csv.c e _gravacao_sqlite.c (o formato está descrito neste último):
 * para cada valor, uma etiqueta 'n' (NULL), 'i' (inteiro de 8 bytes, na ordem
 * da máquina) ou 't' (texto UTF-8: tamanho em 4 bytes e os bytes).
 */
#ifndef ERARIO_PACOTE_H
#define ERARIO_PACOTE_H

#include <Python.h>
#include <stdint.h>
#include <string.h>

typedef struct {
    char *p;
    Py_ssize_t n, cap;
} Pacote;

static inline int pk_reservar(Pacote *b, Py_ssize_t extra) {
    if (b->n + extra <= b->cap) return 0;
    Py_ssize_t novo = b->cap ? b->cap : 1 << 16;
    while (novo < b->n + extra) novo *= 2;
    char *q = PyMem_Realloc(b->p, (size_t)novo);
    if (!q) {
        PyErr_NoMemory();
        return -1;
    }
    b->p = q;
    b->cap = novo;
    return 0;
}

static inline int pk_int(Pacote *b, long long v) {
    if (pk_reservar(b, 9) < 0) return -1;
    b->p[b->n++] = 'i';
    memcpy(b->p + b->n, &v, 8);
    b->n += 8;
    return 0;
}

static inline int pk_texto(Pacote *b, const char *t, Py_ssize_t n) {
    if (n > INT32_MAX) {
        PyErr_SetString(PyExc_OverflowError, "texto grande demais para o pacote");
        return -1;
    }
    if (pk_reservar(b, 5 + n) < 0) return -1;
    int32_t n32 = (int32_t)n;
    b->p[b->n++] = 't';
    memcpy(b->p + b->n, &n32, 4);
    memcpy(b->p + b->n + 4, t, (size_t)n);
    b->n += 4 + n;
    return 0;
}

static inline int pk_nulo(Pacote *b) {
    if (pk_reservar(b, 1) < 0) return -1;
    b->p[b->n++] = 'n';
    return 0;
}

/* None, int (bool incluído) ou str do Python. */
static inline int pk_obj(Pacote *b, PyObject *o) {
    if (o == Py_None) return pk_nulo(b);
    if (PyLong_Check(o)) {
        long long v = PyLong_AsLongLong(o);
        if (v == -1 && PyErr_Occurred()) return -1;
        return pk_int(b, v);
    }
    if (PyUnicode_Check(o)) {
        Py_ssize_t n;
        const char *t = PyUnicode_AsUTF8AndSize(o, &n);
        if (!t) return -1;
        return pk_texto(b, t, n);
    }
    PyErr_Format(PyExc_TypeError, "valor de tipo %.50s fora do pacote", Py_TYPE(o)->tp_name);
    return -1;
}

static inline PyObject *pk_bytes(Pacote *b) { return PyBytes_FromStringAndSize(b->p ? b->p : "", b->n); }

/* (bytes do pacote, linhas) para o Python; libera o pacote. */
static inline PyObject *pk_resultado(Pacote *b, Py_ssize_t linhas) {
    PyObject *bytes = pk_bytes(b);
    PyMem_Free(b->p);
    b->p = NULL;
    return bytes ? Py_BuildValue("(Nn)", bytes, linhas) : NULL;
}

#endif
