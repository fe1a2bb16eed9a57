-- The tables of dev.genaiprocessors.jdbc, one set for PostgreSQL, MariaDB and H2. Placeholders:
-- ${prefix} the table prefix; ${text} and ${binary} the long-text and bytes column types, which
-- differ between the databases; ${table_options} what MariaDB needs after CREATE TABLE.
-- Times are epoch milliseconds (UTC), portable across the three.

CREATE TABLE ${prefix}runs (
  run_id VARCHAR(36) NOT NULL,
  processor VARCHAR(255) NOT NULL,
  started_ms BIGINT NOT NULL,
  ended_ms BIGINT,
  outcome VARCHAR(16) NOT NULL,
  error_text ${text},
  PRIMARY KEY (run_id)
)${table_options};

CREATE INDEX ${prefix}runs_by_processor ON ${prefix}runs (processor, started_ms);

-- One row per input part and per result. seq orders a run's parts as they were stored; a result's
-- input_seq is the seq of the input part it came from (for a plain processor, the last input part
-- it had read). part_json is the part in PartJson's shape; inline bytes are in part_bytes, their
-- place in the JSON left empty.
CREATE TABLE ${prefix}parts (
  run_id VARCHAR(36) NOT NULL,
  seq BIGINT NOT NULL,
  kind VARCHAR(6) NOT NULL,
  input_seq BIGINT,
  stored_ms BIGINT NOT NULL,
  mime_type VARCHAR(255) NOT NULL,
  part_json ${text} NOT NULL,
  part_bytes ${binary},
  PRIMARY KEY (run_id, seq),
  CONSTRAINT ${prefix}parts_run_fk FOREIGN KEY (run_id) REFERENCES ${prefix}runs (run_id)
    ON DELETE CASCADE
)${table_options};

-- The processor cache. A row without a value is a reservation: reserved_by is computing it until
-- reserved_until_ms. stamp changes with every write, so a reservation is taken over only from the
-- row its taker read.
CREATE TABLE ${prefix}cache (
  cache_key VARCHAR(512) NOT NULL,
  value_bytes ${binary},
  stored_ms BIGINT NOT NULL,
  expires_ms BIGINT,
  reserved_by VARCHAR(36),
  reserved_until_ms BIGINT,
  stamp VARCHAR(36) NOT NULL,
  PRIMARY KEY (cache_key)
)${table_options};

CREATE INDEX ${prefix}cache_by_age ON ${prefix}cache (stored_ms);
