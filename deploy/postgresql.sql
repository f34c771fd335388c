-- Banco do servidor de dados on-line no PostgreSQL (docs/consolidacao.md, "Em produção").
--   SENHA=$(openssl rand -hex 24)
--   sudo -u postgres psql -v senha="$SENHA" -f deploy/postgresql.sql
--   echo "127.0.0.1:5432:erario_servidor:erario:$SENHA" > /etc/erario/pgpass  # PGPASSFILE
--   chown erario /etc/erario/pgpass && chmod 0600 /etc/erario/pgpass
-- O usuário erario é dono do banco: o servidor aplica as migrações (CREATE/ALTER).
CREATE ROLE erario LOGIN PASSWORD :'senha';
CREATE DATABASE erario_servidor OWNER erario ENCODING 'UTF8' TEMPLATE template0;
\connect erario_servidor
REVOKE ALL ON DATABASE erario_servidor FROM PUBLIC;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
ALTER SCHEMA public OWNER TO erario;
-- pg_hba.conf: só do próprio host, com senha (scram-sha-256):
--   host  erario_servidor  erario  127.0.0.1/32  scram-sha-256
