/*
 * Gravação de linhas empacotadas direto pela API C do SQLite, na conexão e na
 * transação que o pysqlite (SQLAlchemy) já abriu (erario.storage.gravacao).
 *
 * O custo de uma carga grande no SQLite é sobretudo ligar cada valor a um
 * comando: pelo módulo sqlite3 do Python, cada valor vira um objeto e passa por
 * conferências de tipo. Aqui as linhas chegam num pacote de bytes montado em C
 * (storage._carga_csv) e cada valor é ligado com sqlite3_bind_* sem objeto
 * Python, com o GIL solto: a leitura do bloco seguinte corre em paralelo.
 *
 * A conexão: ao importar este módulo, sqlite3_auto_extension registra em toda
 * conexão aberta depois a função SQL erario_conexao(), que devolve o ponteiro
 * da própria conexão (sqlite3_context_db_handle). Só funciona se o Python usa a
 * mesma biblioteca do SQLite que este módulo (a do sistema); se não usar, a
 * função não existe na conexão e quem chama segue pelo caminho do pysqlite.
 *
 * Formato do pacote (o mesmo de _carga_csv.c): para cada valor de cada linha,
 * uma etiqueta 'n' (NULL), 'i' (inteiro de 8 bytes, na ordem da máquina) ou
 * 't' (texto UTF-8: tamanho em 4 bytes e os bytes).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "_pacote.h"

#ifndef SQLITE_DIRECTONLY
#define SQLITE_DIRECTONLY 0
#endif

static void erario_conexao(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
    (void)argc;
    (void)argv;
    sqlite3_result_int64(ctx, (sqlite3_int64)(intptr_t)sqlite3_context_db_handle(ctx));
}

static int registrar(sqlite3 *db, char **erro, const void *api) {
    (void)erro;
    (void)api;
    /* SQLITE_DIRECTONLY: só em SQL direto, nunca de gatilho ou visão. */
    return sqlite3_create_function_v2(db, "erario_conexao", 0, SQLITE_UTF8 | SQLITE_DIRECTONLY,
                                      NULL, erario_conexao, NULL, NULL, NULL);
}

/* "prefixo (?, …), (?, …)…" com ``linhas`` tuplas de ``largura`` parâmetros. */
static char *comando_de(const char *prefixo, int largura, int linhas) {
    size_t tupla = 2 + 2 * (size_t)largura, n = strlen(prefixo) + (tupla + 1) * (size_t)linhas + 2;
    char *sql = sqlite3_malloc64(n), *d = sql;
    if (!sql) return NULL;
    d += sprintf(d, "%s ", prefixo);
    for (int r = 0; r < linhas; r++) {
        if (r) *d++ = ',';
        *d++ = '(';
        for (int c = 0; c < largura; c++) {
            if (c) *d++ = ',';
            *d++ = '?';
        }
        *d++ = ')';
    }
    *d = '\0';
    return sql;
}

/* Liga os ``largura`` valores de uma linha a partir do parâmetro ``primeiro``.
 * 0 = ligados; 1 = pacote malformado; 2 = erro do SQLite. */
static int ligar_linha(sqlite3_stmt *st, int primeiro, int largura, const unsigned char **pp,
                       const unsigned char *fim) {
    const unsigned char *p = *pp;
    int rc = SQLITE_OK;
    for (int c = primeiro; c < primeiro + largura; c++) {
        if (p >= fim) return 1;
        unsigned char etiqueta = *p++;
        if (etiqueta == 'n') {
            rc = sqlite3_bind_null(st, c);
        } else if (etiqueta == 'i' && fim - p >= 8) {
            sqlite3_int64 v;
            memcpy(&v, p, 8);
            p += 8;
            rc = sqlite3_bind_int64(st, c, v);
        } else if (etiqueta == 't' && fim - p >= 4) {
            int32_t n;
            memcpy(&n, p, 4);
            p += 4;
            if (n < 0 || fim - p < n) return 1;
            rc = sqlite3_bind_text(st, c, (const char *)p, n, SQLITE_STATIC);
            p += n;
        } else {
            return 1;
        }
        if (rc != SQLITE_OK) return 2;
    }
    *pp = p;
    return 0;
}

/* Linhas por comando: um INSERT com várias tuplas custa menos por linha que um
 * passo do SQLite por linha; 999 é o limite de parâmetros dos SQLite < 3.32. */
#define MAX_PARAMETROS 999

/* Grava ``linhas`` linhas de ``largura`` valores com ``prefixo`` (um "INSERT
 * INTO t (colunas) VALUES"). 0 = tudo gravado; senão a mensagem fica em
 * ``erro``. Não toca em objetos Python (roda sem o GIL). */
static int gravar_pacote(sqlite3 *db, const char *prefixo, int largura, const unsigned char *p,
                         Py_ssize_t tam, Py_ssize_t linhas, char *erro, size_t tam_erro) {
    if (sqlite3_get_autocommit(db)) {
        snprintf(erro, tam_erro, "gravação em massa sem transação aberta");
        return -1;
    }
    int por_comando = MAX_PARAMETROS / largura;
    if (por_comando < 1) por_comando = 1;
    const unsigned char *fim = p + tam;
    int falha = 0;
    sqlite3_stmt *st = NULL;
    int st_linhas = 0;
    Py_ssize_t feitas = 0;
    while (feitas < linhas && !falha) {
        int k = linhas - feitas >= por_comando ? por_comando : (int)(linhas - feitas);
        if (k != st_linhas) {
            sqlite3_finalize(st);
            st = NULL;
            char *sql = comando_de(prefixo, largura, k);
            if (!sql) {
                falha = 2;
                break;
            }
            int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
            sqlite3_free(sql);
            if (rc != SQLITE_OK) {
                falha = 2;
                break;
            }
            st_linhas = k;
        }
        for (int r = 0; r < k && !falha; r++) falha = ligar_linha(st, 1 + r * largura, largura, &p, fim);
        if (falha) break;
        if (sqlite3_step(st) != SQLITE_DONE) falha = 2;
        else sqlite3_reset(st);
        feitas += k;
    }
    if (!falha && p != fim) falha = 1;
    if (falha == 1) snprintf(erro, tam_erro, "pacote de linhas malformado");
    else if (falha == 2) snprintf(erro, tam_erro, "%s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return falha ? -1 : 0;
}

/* gravar(conexao, prefixo, largura, pacote, linhas): ver o módulo. */
static PyObject *gravar(PyObject *Py_UNUSED(self), PyObject *args) {
    long long conexao;
    const char *prefixo;
    int largura;
    Py_buffer buf;
    Py_ssize_t linhas;
    if (!PyArg_ParseTuple(args, "Lsiy*n", &conexao, &prefixo, &largura, &buf, &linhas)) return NULL;
    if (!conexao || largura < 1 || linhas < 0) {
        PyBuffer_Release(&buf);
        PyErr_SetString(PyExc_ValueError, "argumentos inválidos");
        return NULL;
    }
    char erro[512] = "";
    int rc;
    Py_BEGIN_ALLOW_THREADS;
    rc = gravar_pacote((sqlite3 *)(intptr_t)conexao, prefixo, largura,
                       (const unsigned char *)buf.buf, buf.len, linhas, erro, sizeof erro);
    Py_END_ALLOW_THREADS;
    PyBuffer_Release(&buf);
    if (rc) {
        PyErr_SetString(PyExc_RuntimeError, erro);
        return NULL;
    }
    Py_RETURN_NONE;
}

/* ValueError com mensagem em UTF-8 (PyErr_Format só aceita formato em ASCII). */
static void erro_valor(const char *formato, ...) {
    char msg[256];
    va_list args;
    va_start(args, formato);
    vsnprintf(msg, sizeof msg, formato, args);
    va_end(args);
    PyErr_SetString(PyExc_ValueError, msg);
}

/* empacotar(linhas, largura): (pacote, número de linhas) das tuplas de
 * ``largura`` valores (None, int ou str) da lista ``linhas``. */
static PyObject *empacotar(PyObject *Py_UNUSED(self), PyObject *args) {
    PyObject *linhas;
    int largura;
    if (!PyArg_ParseTuple(args, "O!i", &PyList_Type, &linhas, &largura)) return NULL;
    Pacote b = {NULL, 0, 0};
    Py_ssize_t n = PyList_GET_SIZE(linhas);
    for (Py_ssize_t r = 0; r < n; r++) {
        PyObject *t = PyList_GET_ITEM(linhas, r);
        if (!PyTuple_Check(t) || PyTuple_GET_SIZE(t) != largura) {
            erro_valor("linha %zd não é uma tupla de %d valores", r, largura);
            goto falha;
        }
        for (int c = 0; c < largura; c++)
            if (pk_obj(&b, PyTuple_GET_ITEM(t, c)) < 0) goto falha;
    }
    return pk_resultado(&b, n);
falha:
    PyMem_Free(b.p);
    return NULL;
}

/* empacotar_partidas(lids, valores, modelos): as partidas de lançamentos que
 * repetem um modelo (storage.repositorio, eventos pelos roteiros): para cada i
 * e cada (conta_id, dc, conta corrente) de modelos[i], na ordem, a linha
 * (lids[i], seq, conta_id, dc, valores[i], conta corrente) de
 * _COLUNAS_PARTIDA, com seq contando de 1. Devolve (pacote, linhas). */
static PyObject *empacotar_partidas(PyObject *Py_UNUSED(self), PyObject *args) {
    PyObject *lids, *valores, *modelos;
    if (!PyArg_ParseTuple(args, "O!O!O!", &PyList_Type, &lids, &PyList_Type, &valores,
                          &PyList_Type, &modelos))
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(lids);
    if (PyList_GET_SIZE(valores) != n || PyList_GET_SIZE(modelos) != n) {
        PyErr_SetString(PyExc_ValueError, "listas de tamanhos diferentes");
        return NULL;
    }
    Pacote b = {NULL, 0, 0};
    Py_ssize_t linhas = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        long long lid = PyLong_AsLongLong(PyList_GET_ITEM(lids, i));
        if (lid == -1 && PyErr_Occurred()) goto falha;
        long long valor = PyLong_AsLongLong(PyList_GET_ITEM(valores, i));
        if (valor == -1 && PyErr_Occurred()) goto falha;
        PyObject *modelo = PyList_GET_ITEM(modelos, i);
        if (!PyTuple_Check(modelo)) {
            erro_valor("modelo %zd não é uma tupla", i);
            goto falha;
        }
        for (Py_ssize_t s = 0; s < PyTuple_GET_SIZE(modelo); s++) {
            PyObject *p = PyTuple_GET_ITEM(modelo, s);
            if (!PyTuple_Check(p) || PyTuple_GET_SIZE(p) != 3) {
                erro_valor("partida %zd do modelo %zd não é (conta, dc, cc)", s, i);
                goto falha;
            }
            if (pk_int(&b, lid) < 0 || pk_int(&b, s + 1) < 0 ||
                pk_obj(&b, PyTuple_GET_ITEM(p, 0)) < 0 || pk_obj(&b, PyTuple_GET_ITEM(p, 1)) < 0 ||
                pk_int(&b, valor) < 0 || pk_obj(&b, PyTuple_GET_ITEM(p, 2)) < 0)
                goto falha;
            linhas++;
        }
    }
    return pk_resultado(&b, linhas);
falha:
    PyMem_Free(b.p);
    return NULL;
}

static PyMethodDef metodos[] = {
    {"gravar", gravar, METH_VARARGS,
     "gravar(conexao, prefixo, largura, pacote, linhas): grava as linhas do pacote com o "
     "prefixo ('INSERT INTO t (colunas) VALUES'), sem o GIL."},
    {"empacotar", empacotar, METH_VARARGS,
     "empacotar(linhas, largura): (pacote, linhas) das tuplas de valores None, int ou str."},
    {"empacotar_partidas", empacotar_partidas, METH_VARARGS,
     "empacotar_partidas(lids, valores, modelos): (pacote, linhas) das partidas dos "
     "lançamentos que repetem um modelo de (conta_id, dc, conta corrente)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef modulo = {
    PyModuleDef_HEAD_INIT, "_gravacao_sqlite",
    "Gravação em massa pela API C do SQLite (ver erario.storage.gravacao).", -1, metodos,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__gravacao_sqlite(void) {
    if (sqlite3_auto_extension((void (*)(void))registrar) != SQLITE_OK) {
        PyErr_SetString(PyExc_ImportError, "sqlite3_auto_extension falhou");
        return NULL;
    }
    return PyModule_Create(&modulo);
}
