/*
 * Acelerador da carga de lançamentos em CSV (erario.storage.carga_csv).
 *
 * A referência é o caminho em Python: razao.carga_csv.ler_lancamentos_csv_em_blocos
 * + razao.validacao.Validador + storage.repositorio._Carga. Este módulo só faz
 * o trabalho mecânico de cada linha (separar campos, agrupar partidas, somar
 * débitos e créditos, montar as linhas do banco). Toda regra que depende do
 * plano, da entidade ou da competência é decidida em Python, por funções
 * chamadas uma vez por valor distinto (e guardadas em caches de dicionário).
 *
 * Diante de qualquer coisa fora do caminho comum (aspas, espaços nas pontas,
 * valor em outro formato, lançamento com erro, estorno, número repetido...)
 * a função devolve None e não altera nada: quem chama refaz o mesmo trecho pelo
 * caminho de referência, que produz as mensagens de erro ou o resultado certo.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "_pacote.h"

#define MAX_CAMPOS 64
#define HISTORICO_MAX 500 /* razao.validacao.HISTORICO_MAX */
#define NUMERO_MAX 16     /* razao.validacao.NUMERO_MAX */
#define VALOR_MAX_DIGITOS 16
/* Limites do caminho rápido para que nenhuma soma em long long transborde:
 * 4096 partidas × 10^15 centavos < 2^63. Acima disso (nunca num razão
 * municipal), o trecho vai para o caminho em Python, que usa inteiros sem limite. */
#define CENTAVOS_MAX 1000000000000000LL
#define PARTIDAS_MAX 4096

typedef struct {
    const char *p;
    Py_ssize_t n;
} Campo;

typedef struct {
    PyObject *resolvida; /* referência emprestada do cache de resolvidas */
    char dc;
    long long centavos;
} ParPendente;

/* Colunas do cabeçalho (índices) e largura mínima da linha. */
enum { C_ENT, C_NUM, C_DATA, C_TIPO, C_HIST, C_CONTA, C_DC, C_VALOR, C_CC, C_ORIGEM, C_ESTORNADO, N_COL };

static int espaco_ou_nao_ascii(unsigned char c) {
    /* str.strip() do Python remove espaços Unicode; na dúvida (byte >= 0x80) recusa. */
    return c <= ' ' || c >= 0x80;
}

static int tem_espaco_nas_pontas(Campo c) {
    if (c.n == 0) return 0;
    return espaco_ou_nao_ascii((unsigned char)c.p[0]) ||
           espaco_ou_nao_ascii((unsigned char)c.p[c.n - 1]);
}

static Py_ssize_t pontos_de_codigo(Campo c) {
    Py_ssize_t n = 0;
    for (Py_ssize_t i = 0; i < c.n; i++)
        if (((unsigned char)c.p[i] & 0xC0) != 0x80) n++;
    return n;
}

/* Valor no formato aceito por core.dinheiro.centavos_de_texto: dígitos (1 a 16),
 * separador '.' ou ',' opcional com 1 ou 2 casas. Devolve -1 se não for esse caso. */
static long long centavos(Campo c) {
    Py_ssize_t i = 0;
    long long inteiro = 0;
    while (i < c.n && c.p[i] >= '0' && c.p[i] <= '9') {
        inteiro = inteiro * 10 + (c.p[i] - '0');
        i++;
    }
    if (i == 0 || i > VALOR_MAX_DIGITOS) return -1;
    if (i == c.n) return inteiro * 100;
    if (c.p[i] != '.' && c.p[i] != ',') return -1;
    Py_ssize_t casas = c.n - i - 1;
    if (casas < 1 || casas > 2) return -1;
    long long frac = 0;
    for (Py_ssize_t k = i + 1; k < c.n; k++) {
        if (c.p[k] < '0' || c.p[k] > '9') return -1;
        frac = frac * 10 + (c.p[k] - '0');
    }
    if (casas == 1) frac *= 10;
    return inteiro * 100 + frac;
}

/* UTF-8 estrito como o decodificador do Python (RFC 3629: sem formas longas,
 * sem surrogates, até U+10FFFF). O caminho de referência recusa a linha que
 * falhar aqui (CARGA-CODIFICACAO); o acelerador devolve o trecho a ele. */
static int utf8_valido(const unsigned char *p, Py_ssize_t n) {
    Py_ssize_t i = 0;
    while (i < n) {
        /* ASCII (o caso comum) oito bytes por vez */
        uint64_t bloco;
        while (i + 8 <= n && (memcpy(&bloco, p + i, 8), (bloco & 0x8080808080808080ULL) == 0)) i += 8;
        if (i >= n) break;
        unsigned char c = p[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        Py_ssize_t extra;
        unsigned char min2 = 0x80, max2 = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) extra = 1;
        else if (c == 0xE0) extra = 2, min2 = 0xA0;
        else if (c == 0xED) extra = 2, max2 = 0x9F;
        else if (c >= 0xE1 && c <= 0xEF) extra = 2;
        else if (c == 0xF0) extra = 3, min2 = 0x90;
        else if (c == 0xF4) extra = 3, max2 = 0x8F;
        else if (c >= 0xF1 && c <= 0xF3) extra = 3;
        else return 0;
        if (i + extra >= n) return 0; /* sequência cortada no fim da linha */
        if (p[i + 1] < min2 || p[i + 1] > max2) return 0;
        for (Py_ssize_t k = 2; k <= extra; k++)
            if (p[i + k] < 0x80 || p[i + k] > 0xBF) return 0;
        i += extra + 1;
    }
    return 1;
}

/* Algum byte de controle (< 0x20 ou 0x7f)? O histórico não os aceita
 * (razao.validacao.erros_historico): o caminho de referência relata. */
static int tem_controle(const unsigned char *p, Py_ssize_t n) {
    Py_ssize_t i = 0;
    uint64_t x;
    while (i + 8 <= n) {
        memcpy(&x, p + i, 8);
        uint64_t y = x ^ 0x7f7f7f7f7f7f7f7fULL;
        if ((((x - 0x2020202020202020ULL) & ~x) | ((y - 0x0101010101010101ULL) & ~y)) &
            0x8080808080808080ULL)
            return 1;
        i += 8;
    }
    for (; i < n; i++)
        if (p[i] < 0x20 || p[i] == 0x7f) return 1;
    return 0;
}

static int mesmo(Campo a, Campo b) { return a.n == b.n && memcmp(a.p, b.p, (size_t)a.n) == 0; }

static PyObject *texto(Campo c) { return PyUnicode_DecodeUTF8(c.p, c.n, "strict"); }

/* Chave de cache em bytes: campos unidos por '\n' (que não ocorre numa linha). */
static PyObject *chave_bytes(Campo a, Campo b, const Campo *c) {
    Py_ssize_t n = a.n + 1 + b.n + (c ? 1 + c->n : 0);
    PyObject *k = PyBytes_FromStringAndSize(NULL, n);
    if (!k) return NULL;
    char *d = PyBytes_AS_STRING(k);
    memcpy(d, a.p, (size_t)a.n);
    d[a.n] = '\n';
    memcpy(d + a.n + 1, b.p, (size_t)b.n);
    if (c) {
        d[a.n + 1 + b.n] = '\n';
        memcpy(d + a.n + 2 + b.n, c->p, (size_t)c->n);
    }
    return k;
}

/* Busca no cache; na falta, chama a função de Python com os campos como str.
 * Devolve referência emprestada (o valor fica no cache), Py_None se a função
 * recusou, ou NULL com exceção. */
static PyObject *consultar(PyObject *cache, PyObject *funcao, Campo *campos, int n) {
    PyObject *k = chave_bytes(campos[0], campos[1], n > 2 ? &campos[2] : NULL);
    if (!k) return NULL;
    PyObject *v = PyDict_GetItemWithError(cache, k);
    if (v || PyErr_Occurred()) {
        Py_DECREF(k);
        return v;
    }
    PyObject *args = PyTuple_New(n);
    if (!args) {
        Py_DECREF(k);
        return NULL;
    }
    for (int i = 0; i < n; i++) {
        PyObject *s = texto(campos[i]);
        if (!s) {
            /* UTF-8 inválido: o caminho de referência relata. */
            PyErr_Clear();
            Py_DECREF(args);
            Py_DECREF(k);
            return Py_None;
        }
        PyTuple_SET_ITEM(args, i, s);
    }
    v = PyObject_Call(funcao, args, NULL);
    Py_DECREF(args);
    if (!v) {
        Py_DECREF(k);
        return NULL;
    }
    int r = PyDict_SetItem(cache, k, v);
    Py_DECREF(k);
    Py_DECREF(v);
    if (r < 0) return NULL;
    return v; /* o cache guarda a referência */
}

typedef struct {
    long long d, c;
} Soma;

typedef struct {
    /* entrada */
    PyObject *numeros;  /* dict (slug, número) → id, dos lançamentos já aceitos */
    long long proximo;  /* próximo id de lançamento */
    /* saída: valores planos (13 por lançamento, 6 por partida), chaves (slug, número);
     * com empacotar, as linhas vão para os pacotes e não para as listas */
    PyObject *cabs, *pars, *chaves;
    int empacotar;
    Pacote pk_cabs, pk_pars;
    Py_ssize_t n_pars;
    /* somas por (período, conta): índices dados por Python (ver storage/carga_csv.py) */
    Soma **somas;            /* somas[periodo][conta] */
    PyObject **obj_periodo;  /* chave do período (emprestada) por índice */
    PyObject **obj_conta;    /* chave da conta (emprestada) por índice */
    Py_ssize_t nper, ncon;
    /* lançamento corrente */
    Campo ent, num, data, hist, orig, tipo;
    PyObject *cab;      /* tupla do cabeçalho devolvida por cabecalho_de (emprestada) */
    PyObject *numero, *historico, *origem, *slug;
    ParPendente *p;
    Py_ssize_t np, cap;
    PyObject *novos;    /* set das chaves (slug, número) deste trecho */
} Estado;

static void limpar_corrente(Estado *e) {
    Py_CLEAR(e->numero);
    Py_CLEAR(e->historico);
    Py_CLEAR(e->origem);
    Py_CLEAR(e->slug);
    e->cab = NULL;
    e->np = 0;
}

/* Garante espaço para somas[periodo][conta]. */
static int reservar(Estado *e, Py_ssize_t per, Py_ssize_t con) {
    if (con >= e->ncon) {
        Py_ssize_t novo = e->ncon ? e->ncon : 1024;
        while (novo <= con) novo *= 2;
        for (Py_ssize_t p = 0; p < e->nper; p++) {
            Soma *a = PyMem_Realloc(e->somas[p], sizeof(Soma) * (size_t)novo);
            if (!a) return -1;
            memset(a + e->ncon, 0, sizeof(Soma) * (size_t)(novo - e->ncon));
            e->somas[p] = a;
        }
        PyObject **o = PyMem_Realloc(e->obj_conta, sizeof(PyObject *) * (size_t)novo);
        if (!o) return -1;
        memset(o + e->ncon, 0, sizeof(PyObject *) * (size_t)(novo - e->ncon));
        e->obj_conta = o;
        e->ncon = novo;
    }
    if (per >= e->nper) {
        Py_ssize_t novo = e->nper ? e->nper : 16;
        while (novo <= per) novo *= 2;
        Soma **a = PyMem_Realloc(e->somas, sizeof(Soma *) * (size_t)novo);
        if (!a) return -1;
        e->somas = a;
        PyObject **o = PyMem_Realloc(e->obj_periodo, sizeof(PyObject *) * (size_t)novo);
        if (!o) return -1;
        e->obj_periodo = o;
        for (Py_ssize_t p = e->nper; p < novo; p++) {
            e->obj_periodo[p] = NULL;
            e->somas[p] = PyMem_Calloc((size_t)e->ncon, sizeof(Soma));
            if (!e->somas[p]) {
                e->nper = p;
                return -1;
            }
        }
        e->nper = novo;
    }
    return 0;
}

static void liberar_somas(Estado *e) {
    for (Py_ssize_t p = 0; p < e->nper; p++) PyMem_Free(e->somas[p]);
    PyMem_Free(e->somas);
    PyMem_Free(e->obj_periodo);
    PyMem_Free(e->obj_conta);
}

/* Somas não nulas como lista de (chave_periodo, chave_conta, débitos, créditos). */
static PyObject *lista_somas(Estado *e) {
    PyObject *l = PyList_New(0);
    if (!l) return NULL;
    for (Py_ssize_t p = 0; p < e->nper; p++) {
        if (!e->obj_periodo[p]) continue;
        for (Py_ssize_t c = 0; c < e->ncon; c++) {
            Soma s = e->somas[p][c];
            if (!s.d && !s.c) continue;
            PyObject *t = Py_BuildValue("(OOLL)", e->obj_periodo[p], e->obj_conta[c], s.d, s.c);
            if (!t || PyList_Append(l, t) < 0) {
                Py_XDECREF(t);
                Py_DECREF(l);
                return NULL;
            }
            Py_DECREF(t);
        }
    }
    return l;
}

static int anexar(PyObject *lista, PyObject *v) { return PyList_Append(lista, v); }

static int anexar_novo(PyObject *lista, PyObject *v) {
    if (!v) return -1;
    int r = PyList_Append(lista, v);
    Py_DECREF(v);
    return r;
}

/* Fecha o lançamento corrente. 1 = aceito, 0 = recusar o trecho, -1 = exceção. */
static int fechar(Estado *e) {
    if (e->np < 2) return 0; /* LANC-PARTIDAS */
    long long deb = 0, cred = 0, nat[3] = {0, 0, 0};
    for (Py_ssize_t i = 0; i < e->np; i++) {
        ParPendente *q = &e->p[i];
        long natureza = PyLong_AsLong(PyTuple_GET_ITEM(q->resolvida, 2));
        if (natureza < 0 || natureza > 2) return 0;
        if (q->dc == 'D') {
            deb += q->centavos;
            nat[natureza] += q->centavos;
        } else {
            cred += q->centavos;
            nat[natureza] -= q->centavos;
        }
    }
    if (deb != cred || nat[0] || nat[1] || nat[2]) return 0; /* LANC-DESBALANCEADO / LANC-NATUREZA */

    PyObject *chave = PyTuple_Pack(2, e->slug, e->numero);
    if (!chave) return -1;
    int existe = PyDict_Contains(e->numeros, chave);
    if (existe == 0) existe = PySet_Contains(e->novos, chave);
    if (existe != 0) {
        Py_DECREF(chave);
        return existe < 0 ? -1 : 0; /* LANC-NUMERO-DUPLICADO */
    }
    if (PySet_Add(e->novos, chave) < 0 || PyList_Append(e->chaves, chave) < 0) {
        Py_DECREF(chave);
        return -1;
    }
    Py_DECREF(chave);

    /* cabecalho_de devolve: (eid, data, ano, periodo, tipo, livro, chave_periodo,
     * resolvidas, resolver, indice_periodo) */
    PyObject *cab = e->cab;
    /* O id como objeto só serve às listas; no pacote vai como inteiro C. */
    PyObject *lid = NULL;
    if (!e->empacotar && !(lid = PyLong_FromLongLong(e->proximo))) return -1;
    static PyObject *letra[2] = {NULL, NULL};
    if (!letra[0]) {
        letra[0] = PyUnicode_InternFromString("D");
        letra[1] = PyUnicode_InternFromString("C");
        if (!letra[0] || !letra[1]) goto falha;
    }
    /* Colunas de storage.repositorio._COLUNAS_LANCAMENTO, na ordem. */
    if (e->empacotar) {
        Pacote *b = &e->pk_cabs;
        if (pk_int(b, e->proximo) < 0 || pk_obj(b, PyTuple_GET_ITEM(cab, 0)) < 0 ||
            pk_texto(b, e->num.p, e->num.n) < 0)
            goto falha;
        for (int k = 1; k <= 5; k++)
            if (pk_obj(b, PyTuple_GET_ITEM(cab, k)) < 0) goto falha;
        if (pk_texto(b, e->hist.p, e->hist.n) < 0 ||
            (e->origem == Py_None ? pk_nulo(b) : pk_texto(b, e->orig.p, e->orig.n)) < 0 ||
            pk_int(b, 0) < 0 || pk_nulo(b) < 0 || pk_int(b, deb) < 0)
            goto falha;
    } else {
        if (anexar(e->cabs, lid) < 0 || anexar(e->cabs, PyTuple_GET_ITEM(cab, 0)) < 0 ||
            anexar(e->cabs, e->numero) < 0)
            goto falha;
        for (int k = 1; k <= 5; k++)
            if (anexar(e->cabs, PyTuple_GET_ITEM(cab, k)) < 0) goto falha;
        if (anexar(e->cabs, e->historico) < 0 || anexar(e->cabs, e->origem) < 0 ||
            anexar(e->cabs, Py_False) < 0 || anexar(e->cabs, Py_None) < 0 ||
            anexar_novo(e->cabs, PyLong_FromLongLong(deb)) < 0)
            goto falha;
    }
    Py_ssize_t per = PyLong_AsSsize_t(PyTuple_GET_ITEM(cab, 9));
    if (per < 0) goto falha;
    for (Py_ssize_t i = 0; i < e->np; i++) {
        ParPendente *q = &e->p[i];
        PyObject *r = q->resolvida; /* (conta_id, conta_corrente, natureza, chave_conta, indice_conta) */
        /* Colunas de storage.repositorio._COLUNAS_PARTIDA, na ordem. */
        if (e->empacotar) {
            Pacote *b = &e->pk_pars;
            if (pk_int(b, e->proximo) < 0 || pk_int(b, i + 1) < 0 ||
                pk_obj(b, PyTuple_GET_ITEM(r, 0)) < 0 || pk_texto(b, q->dc == 'D' ? "D" : "C", 1) < 0 ||
                pk_int(b, q->centavos) < 0 || pk_obj(b, PyTuple_GET_ITEM(r, 1)) < 0)
                goto falha;
            e->n_pars++;
        } else if (anexar(e->pars, lid) < 0 || anexar_novo(e->pars, PyLong_FromSsize_t(i + 1)) < 0 ||
                   anexar(e->pars, PyTuple_GET_ITEM(r, 0)) < 0 ||
                   anexar(e->pars, letra[q->dc == 'D' ? 0 : 1]) < 0 ||
                   anexar_novo(e->pars, PyLong_FromLongLong(q->centavos)) < 0 ||
                   anexar(e->pars, PyTuple_GET_ITEM(r, 1)) < 0) {
            goto falha;
        }
        Py_ssize_t con = PyLong_AsSsize_t(PyTuple_GET_ITEM(r, 4));
        if (con < 0 || reservar(e, per, con) < 0) goto falha;
        e->obj_periodo[per] = PyTuple_GET_ITEM(cab, 6);
        e->obj_conta[con] = PyTuple_GET_ITEM(r, 3);
        long long *soma = q->dc == 'D' ? &e->somas[per][con].d : &e->somas[per][con].c;
        if (*soma > LLONG_MAX - q->centavos) {
            Py_XDECREF(lid);
            return 0; /* soma grande demais para long long: caminho em Python */
        }
        *soma += q->centavos;
    }
    Py_XDECREF(lid);
    e->proximo++;
    return 1;
falha:
    if (!PyErr_Occurred()) PyErr_NoMemory();
    Py_XDECREF(lid);
    return -1;
}

/*
 * ler(texto, inicio, final, colunas, largura, cabecalhos, cabecalho_de,
 *     numeros, proximo, max_lancamentos, empacotar=False)
 *   → None (trecho fora do caminho rápido: refazer em Python)
 *   | (fim, linhas, cabs, pars, somas, chaves): cabs e pars são listas planas
 *     (13 valores por lançamento, 6 por partida), somas é uma lista de
 *     (chave_periodo, chave_conta, débitos, créditos), chaves (slug, número).
 *     Com empacotar, cabs e pars são (pacote, linhas): as mesmas linhas no
 *     formato de storage._gravacao_sqlite, sem criar objetos por valor.
 *
 * Lê lançamentos completos a partir do byte ``inicio`` até ``max_lancamentos``
 * ou até a última linha completa (com ``final`` falso, o último lançamento
 * pode continuar no próximo pedaço e fica para a próxima chamada).
 */
static PyObject *ler(PyObject *Py_UNUSED(self), PyObject *args) {
    Py_buffer buf;
    Py_ssize_t inicio, largura, max_lancs;
    int final;
    PyObject *colunas, *cabecalhos, *cabecalho_de, *numeros;
    long long proximo;
    int empacotar = 0;
    if (!PyArg_ParseTuple(args, "y*npO!nO!OO!Ln|p", &buf, &inicio, &final, &PyTuple_Type, &colunas,
                          &largura, &PyDict_Type, &cabecalhos, &cabecalho_de, &PyDict_Type, &numeros,
                          &proximo, &max_lancs, &empacotar))
        return NULL;

    PyObject *resultado = NULL;
    Estado e;
    memset(&e, 0, sizeof e);
    e.numeros = numeros;
    e.proximo = proximo;
    e.empacotar = empacotar;
    int col[N_COL];
    if (PyTuple_GET_SIZE(colunas) != N_COL || largura < 1 || largura > MAX_CAMPOS) {
        PyErr_SetString(PyExc_ValueError, "colunas inválidas");
        PyBuffer_Release(&buf);
        return NULL;
    }
    for (int i = 0; i < N_COL; i++) col[i] = (int)PyLong_AsLong(PyTuple_GET_ITEM(colunas, i));
    if (PyErr_Occurred()) {
        PyBuffer_Release(&buf);
        return NULL;
    }
    e.cabs = PyList_New(0);
    e.pars = PyList_New(0);
    e.chaves = PyList_New(0);
    e.novos = PySet_New(NULL);
    e.cap = 16;
    e.p = PyMem_Malloc(sizeof(ParPendente) * (size_t)e.cap);
    if (!e.cabs || !e.pars || !e.chaves || !e.novos || !e.p) goto erro;

    const char *base = (const char *)buf.buf;
    Py_ssize_t tam = buf.len, pos = inicio, inicio_lanc = inicio, fim = inicio;
    Py_ssize_t linhas = 0, linhas_lanc = 0, lancs = 0;
    int aberto = 0, recusar = 0;

    while (pos < tam) {
        const char *ini = base + pos;
        const char *nl = memchr(ini, '\n', (size_t)(tam - pos));
        if (!nl && !final) break; /* linha incompleta: fica para o próximo pedaço */
        Py_ssize_t n = nl ? nl - ini : tam - pos;
        Py_ssize_t prox = pos + n + (nl ? 1 : 0);
        if (n > 0 && ini[n - 1] == '\r') n--;
        if (n == 0 || memchr(ini, '"', (size_t)n) || memchr(ini, '\r', (size_t)n) ||
            tem_controle((const unsigned char *)ini, n) ||
            !utf8_valido((const unsigned char *)ini, n)) {
            recusar = 1; /* linha vazia, aspas ou separadores estranhos: caminho de referência */
            break;
        }
        Campo f[MAX_CAMPOS];
        int nf = 0;
        const char *c = ini, *fimlinha = ini + n;
        while (nf < MAX_CAMPOS) {
            const char *sep = memchr(c, ';', (size_t)(fimlinha - c));
            f[nf].p = c;
            f[nf].n = (sep ? sep : fimlinha) - c;
            nf++;
            if (!sep) break;
            c = sep + 1;
        }
        if (nf < largura) {
            recusar = 1; /* CARGA-COLUNAS */
            break;
        }
        Campo ent = f[col[C_ENT]], num = f[col[C_NUM]], data = f[col[C_DATA]];
        /* tipo é opcional (coluna ausente: índice -1, célula vazia = ordinário) */
        Campo tipo = col[C_TIPO] >= 0 ? f[col[C_TIPO]] : (Campo){"", 0};
        Campo hist = f[col[C_HIST]];
        if (!aberto || !mesmo(ent, e.ent) || !mesmo(num, e.num)) {
            if (aberto) {
                int r = fechar(&e);
                if (r < 0) goto erro;
                if (r == 0) {
                    recusar = 1;
                    break;
                }
                lancs++;
                linhas += linhas_lanc;
                fim = pos;
                limpar_corrente(&e);
                aberto = 0;
                if (lancs >= max_lancs) break;
            }
            inicio_lanc = pos;
            linhas_lanc = 0;
            if (num.n == 0 || pontos_de_codigo(num) > NUMERO_MAX) {
                recusar = 1; /* CARGA-NUMERO / LANC-NUMERO */
                break;
            }
            Py_ssize_t nh = pontos_de_codigo(hist);
            if (nh == 0 || nh > HISTORICO_MAX || tem_espaco_nas_pontas(hist)) {
                recusar = 1; /* LANC-HISTORICO (ou histórico a normalizar) */
                break;
            }
            if (col[C_ESTORNADO] >= 0 && f[col[C_ESTORNADO]].n > 0) {
                recusar = 1; /* estornos seguem pelo caminho de referência */
                break;
            }
            Campo trio[3] = {ent, data, tipo};
            PyObject *cab = consultar(cabecalhos, cabecalho_de, trio, 3);
            if (!cab) goto erro;
            if (cab == Py_None) {
                recusar = 1;
                break;
            }
            if (!PyTuple_Check(cab) || PyTuple_GET_SIZE(cab) != 10) {
                PyErr_SetString(PyExc_TypeError, "cabecalho_de deve devolver tupla de 10 itens");
                goto erro;
            }
            e.cab = cab;
            e.ent = ent;
            e.num = num;
            e.data = data;
            e.numero = texto(num);
            e.hist = hist;
            e.tipo = tipo;
            /* No pacote o histórico vai direto dos bytes da linha (UTF-8 já conferido). */
            e.historico = e.empacotar ? NULL : texto(hist);
            e.slug = texto(ent);
            if (!e.numero || (!e.empacotar && !e.historico) || !e.slug) {
                PyErr_Clear();
                recusar = 1;
                break;
            }
            if (col[C_ORIGEM] >= 0 && f[col[C_ORIGEM]].n > 0) {
                Campo o = f[col[C_ORIGEM]];
                e.orig = o;
                if (tem_espaco_nas_pontas(o) || !(e.origem = texto(o))) {
                    PyErr_Clear();
                    recusar = 1;
                    break;
                }
            } else {
                e.origem = Py_NewRef(Py_None);
            }
            aberto = 1;
        } else if (!mesmo(data, e.data)) {
            recusar = 1; /* CARGA-CABECALHO-DIVERGE */
            break;
        } else if ((hist.n > 0 && !mesmo(hist, e.hist)) || !mesmo(tipo, e.tipo)) {
            /* Histórico próprio da partida ou tipo por linha (divisão do lançamento):
             * o pacote não leva o histórico da partida; caminho de referência. */
            recusar = 1;
            break;
        }
        Campo dc = f[col[C_DC]], valor = f[col[C_VALOR]];
        if (dc.n != 1 || (dc.p[0] != 'D' && dc.p[0] != 'C')) {
            recusar = 1;
            break;
        }
        long long v = centavos(valor);
        if (v <= 0 || v > CENTAVOS_MAX || e.np >= PARTIDAS_MAX) {
            recusar = 1; /* CARGA-VALOR (ou fora dos limites do caminho rápido) */
            break;
        }
        Campo conta = f[col[C_CONTA]], cc = f[col[C_CC]];
        if (tem_espaco_nas_pontas(conta) || tem_espaco_nas_pontas(cc)) {
            recusar = 1;
            break;
        }
        Campo par[2] = {conta, cc};
        PyObject *res = consultar(PyTuple_GET_ITEM(e.cab, 7), PyTuple_GET_ITEM(e.cab, 8), par, 2);
        if (!res) goto erro;
        if (res == Py_None) {
            recusar = 1; /* LANC-CONTA / LANC-SINTETICA / LANC-CC */
            break;
        }
        if (!PyTuple_Check(res) || PyTuple_GET_SIZE(res) != 5) {
            PyErr_SetString(PyExc_TypeError, "resolver deve devolver tupla de 5 itens");
            goto erro;
        }
        if (e.np == e.cap) {
            e.cap *= 2;
            ParPendente *novo = PyMem_Realloc(e.p, sizeof(ParPendente) * (size_t)e.cap);
            if (!novo) {
                PyErr_NoMemory();
                goto erro;
            }
            e.p = novo;
        }
        e.p[e.np].resolvida = res;
        e.p[e.np].dc = dc.p[0];
        e.p[e.np].centavos = v;
        e.np++;
        linhas_lanc++;
        pos = prox;
    }
    if (!recusar && aberto && pos >= tam && final) {
        int r = fechar(&e);
        if (r < 0) goto erro;
        if (r == 0) recusar = 1;
        else {
            lancs++;
            linhas += linhas_lanc;
            fim = pos;
        }
    }
    (void)inicio_lanc;
    if (recusar) {
        resultado = Py_NewRef(Py_None);
    } else {
        PyObject *somas = lista_somas(&e);
        if (somas && e.empacotar) {
            PyObject *pc = pk_bytes(&e.pk_cabs), *pp = pk_bytes(&e.pk_pars);
            if (pc && pp)
                resultado = Py_BuildValue("(nn(On)(On)NO)", fim, linhas, pc,
                                          PyList_GET_SIZE(e.chaves), pp, e.n_pars, somas, e.chaves);
            else
                Py_DECREF(somas);
            Py_XDECREF(pc);
            Py_XDECREF(pp);
        } else if (somas) {
            resultado = Py_BuildValue("(nnOONO)", fim, linhas, e.cabs, e.pars, somas, e.chaves);
        }
    }
erro:
    limpar_corrente(&e);
    Py_XDECREF(e.cabs);
    Py_XDECREF(e.pars);
    liberar_somas(&e);
    Py_XDECREF(e.chaves);
    Py_XDECREF(e.novos);
    PyMem_Free(e.p);
    PyMem_Free(e.pk_cabs.p);
    PyMem_Free(e.pk_pars.p);
    PyBuffer_Release(&buf);
    return resultado;
}

static PyMethodDef metodos[] = {
    {"ler", ler, METH_VARARGS, "Lê lançamentos completos de um pedaço de CSV (ver o módulo)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef modulo = {
    PyModuleDef_HEAD_INIT, "_carga_csv",
    "Acelerador da carga de lançamentos em CSV; referência em Python: erario.razao.carga.", -1,
    metodos, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__carga_csv(void) { return PyModule_Create(&modulo); }
