#!/bin/sh
# Backup do banco do servidor de dados on-line (docs/consolidacao.md, "Em produção").
# PostgreSQL: pg_dump em formato custom (restaurável com pg_restore); SQLite:
# "erario servidor backup" (API de backup on-line: o servidor segue no ar).
# Guarda ERARIO_BACKUP_DIAS dias em ERARIO_BACKUP_DESTINO. Rodado pelo
# erario-backup.timer com as variáveis de /etc/erario/servidor.env.
set -eu
: "${ERARIO_SERVIDOR_DB:?defina ERARIO_SERVIDOR_DB}"
destino=${ERARIO_BACKUP_DESTINO:-/var/backups/erario}
dias=${ERARIO_BACKUP_DIAS:-35}
erario=${ERARIO_BIN:-/opt/erario/venv/bin/erario}
agora=$(date +%Y%m%d-%H%M%S)
umask 077
mkdir -p "$destino"
case "$ERARIO_SERVIDOR_DB" in
    postgresql*)
        # URL do libpq: sem o "+psycopg" do SQLAlchemy, se houver.
        url=$(printf '%s' "$ERARIO_SERVIDOR_DB" | sed 's/^postgresql+psycopg:/postgresql:/')
        pg_dump --format=custom --no-owner --file="$destino/servidor-$agora.dump" "$url"
        pg_restore --list "$destino/servidor-$agora.dump" >/dev/null  # legível?
        ;;
    sqlite*)
        "$erario" servidor backup "$destino/servidor-$agora.db" --url "$ERARIO_SERVIDOR_DB"
        ;;
    *)
        echo "ERARIO_SERVIDOR_DB não é PostgreSQL nem SQLite: $ERARIO_SERVIDOR_DB" >&2
        exit 1
        ;;
esac
find "$destino" -maxdepth 1 -name 'servidor-*' -type f -mtime +"$dias" -delete
echo "backup em $destino (servidor-$agora)"
