#!/usr/bin/env python3
"""Checks conversations.json against the installed PostgreSQL 15 HTML docs (Debian postgresql-doc-15).

conversations.json is a JSON array of {"id", "turns": [{"question", "gold", "answer", "kind"}, ...]}
(format: ../sqlite-3/README.md, "Conversations"). Checked:
- unique ids (pg-cNN), 2-4 turns, the first turn and only it of kind "first", later turns "followup" or
  "unanswerable", at least 30 conversations;
- gold files exist; the evidence patterns below occur on every gold page of an answerable turn (tags stripped,
  whitespace collapsed, case-insensitive: the same text as check_questions.py);
- unanswerable turns have gold [] and answer null, and their probe patterns occur on no page;
- no turn shares a run of 8+ consecutive words with its gold pages (quoted error messages exempt);
- a follow-up refers back (starts with one of FOLLOWUP_OPENERS or contains one of FOLLOWUP_MARKERS), so it cannot be
  read alone.

Usage: python3 check_conversations.py [html_dir]
"""
import json
import os
import re
import sys

from check_questions import HTML_DIR, page_text, words

HERE = os.path.dirname(os.path.abspath(__file__))
TURN_KINDS = {"first", "followup", "unanswerable"}
MIN_CONVERSATIONS = 30

# "conversation id/turn number (1-based)" -> evidence patterns that must all match every gold page (a list), or a
# dict of gold page -> its own patterns; TURN_ABSENT: probe patterns of unanswerable turns.
TURN_EVIDENCE = {
    "pg-c01/1": [r"create \[ unique \] index \[ concurrently \]", r"without taking any locks that prevent concurrent inserts, updates, or deletes"],
    "pg-c01/2": [r"a regular create index command can be performed within a transaction block, but create index concurrently cannot"],
    "pg-c01/3": [r"leave behind an “invalid” index", r"drop the index and try again", r"reindex index concurrently"],
    "pg-c02/1": [r"pg_stat_activity one row per server process, showing information related to the current activity of that process, such as state and current query"],
    "pg-c02/2": [r"pg_cancel_backend \( pid integer \)", r"cancels the current query of the session"],
    "pg-c02/3": [r"pg_terminate_backend \( pid integer, timeout bigint default 0 \)", r"terminates the session whose backend process has the specified process id"],
    "pg-c02/4": [r"idle_in_transaction_session_timeout \(integer\) terminate any session that has been idle", r"a value of zero \(the default\) disables the timeout"],
    "pg-c03/1": [r"non-volatile default is specified, the default is evaluated at the time of the statement and the result stored in the table's metadata", r"in neither case is a rewrite of the table required"],
    "pg-c03/2": [r"adding a column with a volatile default or changing the type of an existing column will require the entire table and its indexes to be rewritten"],
    "pg-c04/1": [r"all tables in schema schema_name", r"grant privileges on all objects of the same type within one or more schemas"],
    "pg-c04/2": [r"alter default privileges in schema myschema grant select on tables to public"],
    "pg-c04/3": [r"pg_read_all_data read all data \(tables, views, sequences\)", r"does not have the role attribute bypassrls"],
    "pg-c05/1": [r"partition by range \(logdate\)", r"create table measurement_y2006m02 partition of measurement for values from \('2006-02-01'\) to \('2006-03-01'\)"],
    "pg-c05/2": [r"inserting data into the parent table that does not map to one of the existing partitions will cause an error"],
    "pg-c05/3": [r"if default is specified, the table will be created as the default partition of the parent table", r"routed to the default partition"],
    "pg-c05/4": [r"alter table measurement attach partition measurement_y2008m02", r"recommended to create a check constraint on the table to be attached"],
    "pg-c06/1": [r"pg_basebackup is used to take a base backup of a running postgresql database cluster"],
    "pg-c06/2": [r"--write-recovery-conf creates a standby\.signal file and appends connection settings to the postgresql\.auto\.conf"],
    "pg-c07/1": [r"plain vacuum \(without full\) simply reclaims space and makes it available for re-use", r"vacuum full rewrites the entire contents of the table into a new disk file"],
    "pg-c07/2": [r"requires an access exclusive lock on each table while it is being processed"],
    "pg-c08/1": [r"create index idxgin on api using gin \(jdoc\)"],
    "pg-c08/2": [r"create index idxginp on api using gin \(jdoc jsonb_path_ops\)", r"usually much smaller than a jsonb_ops index"],
    "pg-c09/1": [r"gen_random_uuid \(\) → uuid", r"version 4 \(random\) uuid"],
    "pg-c09/2": [r"obsolete, this function internally calls the core function of the same name"],
    "pg-c09/3": {"functions-uuid.html": [r"the uuid-ossp module provides additional functions that implement other standard algorithms"], "uuid-ossp.html": [r"uuid_generate_v1 \(\)"]},
    "pg-c10/1": [r"read committed is the default isolation level in postgresql"],
    "pg-c10/2": [r"like the repeatable read level, applications using this level must be prepared to retry transactions due to serialization failures"],
    "pg-c11/1": [r"log_min_duration_statement", r"-1 \(the default\) disables logging statement durations"],
    "pg-c11/2": [r"auto_explain\.log_min_duration is the minimum statement execution time", r"shared_preload_libraries"],
    "pg-c11/3": [r"per-plan-node timing occurs for all statements executed", r"extremely negative impact on performance"],
    "pg-c12/1": [r"pg_upgrade \(formerly called pg_migrator\) allows data stored in postgresql data files to be upgraded to a later postgresql major version without the data dump/restore"],
    "pg-c12/2": [r"--link use hard links instead of copying files to the new cluster"],
    "pg-c13/1": [r"enable row level security", r"create policy", r"current_user"],
    "pg-c13/2": [r"table owners normally bypass row security as well", r"force row level security"],
    "pg-c14/1": [r"copy table_name \[ \( column_name \[, \.\.\.\] \) \] from", r"csv"],
    "pg-c14/2": {"app-psql.html": [r"performs a frontend \(client\) copy", r"psql reads or writes the file and routes the data between the server and the local file system"], "sql-copy.html": [r"\\copy invokes copy from stdin or copy to stdout, and then fetches/stores the data in a file accessible to the psql client"]},
    "pg-c15/1": [r"pg_total_relation_size \( regclass \)", r"including all indexes and toast data"],
    "pg-c15/2": [r"pg_database_size \( name \)"],
    "pg-c16/1": [r"the materialized view cannot subsequently be directly updated", r"refresh materialized view mymatview"],
    "pg-c16/2": [r"refresh the materialized view without locking out concurrent selects", r"at least one unique index on the materialized view"],
    "pg-c17/1": [r"wal_level = logical", r"create publication mypub for table users, departments", r"create subscription mysub"],
    "pg-c17/2": [r"copy_data \(boolean\) specifies whether to copy pre-existing data", r"the default is true"],
    "pg-c17/3": [r"the database schema and ddl commands are not replicated"],
    "pg-c18/1": [r"statement_timeout \(integer\) abort any statement that takes more than the specified amount of time"],
    "pg-c18/2": [r"alter role \{ role_specification \| all \} \[ in database database_name \] set configuration_parameter", r"role-specific variable settings take effect only at login"],
    "pg-c19/1": [r"on conflict do update updates the existing row that conflicts with the row proposed for insertion"],
    "pg-c19/2": [r"the row proposed for insertion using the special excluded table"],
    "pg-c19/3": [r"on conflict do nothing simply avoids inserting a row as its alternative action"],
    "pg-c20/1": [r"with recursive", r"union all"],
    "pg-c20/2": [r"cycle id set is_cycle using path", r"there is built-in syntax to simplify cycle detection"],
    "pg-c21/1": [r"wider than toast_tuple_threshold bytes \(normally 2 kb\)", r"toast_tuple_target bytes \(also normally 2 kb, adjustable\)"],
    "pg-c21/2": {"sql-altertable.html": [r"set compression compression_method", r"the supported compression methods are pglz and lz4"], "storage-toast.html": [r"can be selected for each column by setting the compression column option", r"default_toast_compression"]},
    "pg-c21/3": [r"this does not cause the table to be rewritten, so existing data may still be compressed with other compression methods"],
    "pg-c22/1": [r"pg_stat_user_indexes", r"idx_scan bigint number of index scans initiated on this index"],
    "pg-c22/2": [r"pg_stat_reset \(\) → void resets all statistics counters for the current database to zero"],
    "pg-c23/1": [r"-h hostname --host=hostname specifies the host name of the machine on which the server is running"],
    "pg-c23/2": [r"the file \.pgpass in a user's home directory", r"hostname:port:database:username:password"],
    "pg-c23/3": [r"chmod 0600 ~/\.pgpass", r"if the permissions are less strict than this, the file will be ignored"],
    "pg-c24/1": [r"no pg_hba\.conf entry for host", r"no matching entry in its pg_hba\.conf"],
    "pg-c24/2": [r"pg_hba\.conf file is read on start-up and when the main server process receives a sighup", r"pg_reload_conf\(\)"],
    "pg-c25/1": [r"explain actually executes the query, and then displays the true row counts and true run time"],
    "pg-c25/2": {"using-explain.html": [r"because explain analyze actually runs the query, any side-effects will happen as usual", r"rollback;"], "sql-explain.html": [r"the statement is actually executed when the analyze option is used", r"rollback;"]},
    "pg-c26/1": [r"generate_series \( start timestamp, stop timestamp, step interval \)"],
    "pg-c26/2": {"functions-srf.html": [r"suffixed by with ordinality, a bigint column is appended"], "queries-table-expressions.html": [r"if the with ordinality clause is specified, an additional column of type bigint will be added"]},
    "pg-c27/1": [r"the default is typically 100 connections"],
    "pg-c27/2": [r"determines the maximum number of concurrent connections to the database server\. the default is typically 100 connections, but might be less if your kernel settings will not support it \(as determined during initdb\)\. this parameter can only be set at server start"],
    "pg-c28/1": [r"pgp_sym_encrypt\(data text, psw text \[, options text \]\) returns bytea", r"pgp_sym_decrypt\(msg bytea, psw text"],
    "pg-c29/1": {"release-15.html": [r"remove public creation permission on the public schema"], "ddl-schemas.html": [r"in postgresql 15 and later, the default configuration supports this usage pattern"]},
    "pg-c29/2": [r"granting create permission will yield the behavior of prior releases"],
    "pg-c29/3": {"release-15.html": [r"upgrading a cluster or restoring a database dump will preserve"], "ddl-schemas.html": [r"in databases upgraded from postgresql 14 or earlier, everyone has that privilege on the schema public"]},
    "pg-c30/1": [r"\\dt\[s\+\] \[ pattern \]", r"stand for foreign table, index, materialized view, sequence, table, and view"],
    "pg-c30/2": [r"if \+ is appended to the command name, each object is listed with its persistence status \(permanent, temporary, or unlogged\), physical size on disk"],
    "pg-c31/1": [r"merge provides a single sql statement that can conditionally insert, update or delete rows"],
    "pg-c31/2": [r"when matched \[ and condition \] then \{ merge_update \| merge_delete \| do nothing \}", r"merge_delete is: delete"],
    "pg-c31/3": [r"there is no returning clause with merge"],
}
TURN_ABSENT = {
    "pg-c07/3": [r"\baws\b", r"amazon"],
    "pg-c12/3": [r"\bazure\b", r"flexible server"],
    "pg-c22/3": [r"datadog"],
    "pg-c27/3": [r"\bneon\b"],
    "pg-c28/2": [r"\bkms\b", r"key management service", r"\baws\b"],
    "pg-c30/3": [r"banana bread"],
}

FOLLOWUP_OPENERS = ["and", "so", "but", "ok", "okay", "then", "now", "what about", "how about"]
FOLLOWUP_MARKERS = ["it", "its", "that", "this", "these", "those", "them", "they", "there", "same",
                    "instead", "also", "too", "either", "one", "ones", "such", "here"]


def refers_back(question):
    low = question.lower().strip()
    return (any(re.match(re.escape(o) + r"\b", low) for o in FOLLOWUP_OPENERS)
            or any(re.search(r"\b" + re.escape(m) + r"\b", low) for m in FOLLOWUP_MARKERS))


def main():
    errors = []
    pages = sorted(f for f in os.listdir(HTML_DIR) if f.endswith(".html"))
    convs = json.load(open(os.path.join(HERE, "conversations.json"), encoding="utf-8"))
    ids = [c.get("id") for c in convs]
    if len(ids) != len(set(ids)):
        errors.append("duplicate ids")
    kinds, lengths, last_unanswerable, used = {}, {}, 0, set()
    for c in convs:
        cid = c.get("id")
        if set(c) != {"id", "turns"} or not re.fullmatch(r"pg-c\d{2}", str(cid)):
            errors.append(f"{cid}: a conversation is {{\"id\": \"pg-cNN\", \"turns\": [...]}}")
            continue
        turns = c["turns"]
        lengths[len(turns)] = lengths.get(len(turns), 0) + 1
        if not 2 <= len(turns) <= 4:
            errors.append(f"{cid}: {len(turns)} turns (2-4 expected)")
        for n, t in enumerate(turns, 1):
            label = f"{cid}/{n}"
            used.add(label)
            if set(t) != {"question", "gold", "answer", "kind"}:
                errors.append(f"{label}: unexpected keys {sorted(t)}")
                continue
            kind = t["kind"]
            kinds[kind] = kinds.get(kind, 0) + 1
            if kind not in TURN_KINDS:
                errors.append(f"{label}: bad kind {kind}")
            if (n == 1) != (kind == "first"):
                errors.append(f"{label}: only the first turn is (and must be) of kind 'first'")
            if kind == "followup" and not refers_back(t["question"]):
                errors.append(f"{label}: follow-up does not refer back to the conversation")
            if kind == "unanswerable":
                if t["gold"] or t["answer"] is not None:
                    errors.append(f"{label}: unanswerable turn must have empty gold and null answer")
                if label not in TURN_ABSENT:
                    errors.append(f"{label}: no absence probes")
                for pat in TURN_ABSENT.get(label, []):
                    hits = [f for f in pages if re.search(pat, page_text(f))]
                    if hits:
                        errors.append(f"{label}: probe /{pat}/ found on {hits[:5]}")
                last_unanswerable += n == len(turns)
                continue
            if not t["gold"] or not t["answer"]:
                errors.append(f"{label}: answerable turn needs gold and answer")
            patterns = TURN_EVIDENCE.get(label)
            if patterns is None:
                errors.append(f"{label}: no evidence patterns")
                patterns = []
            if isinstance(patterns, dict) and set(patterns) != set(t["gold"]):
                errors.append(f"{label}: evidence pages {sorted(patterns)} are not the gold pages {sorted(t['gold'])}")
            for g in t["gold"]:
                if not os.path.isfile(os.path.join(HTML_DIR, g)):
                    errors.append(f"{label}: gold file missing: {g}")
                    continue
                for pat in (patterns.get(g, []) if isinstance(patterns, dict) else patterns):
                    if not re.search(pat, page_text(g)):
                        errors.append(f"{label}: evidence /{pat}/ not on {g}")
                # paraphrase check: no 8-word run copied from the gold page (quoted error messages exempt)
                w = words(re.sub(r"'[^']*'|\"[^\"]*\"", " ", t["question"]))
                page = " " + " ".join(words(page_text(g))) + " "
                for i in range(len(w) - 7):
                    if f" {' '.join(w[i:i + 8])} " in page:
                        errors.append(f"{label}: question copies '{' '.join(w[i:i + 8])}' from {g}")
                        break
    for label in set(TURN_EVIDENCE) | set(TURN_ABSENT):
        if label not in used:
            errors.append(f"{label}: patterns for an unknown turn")
    if len(convs) < MIN_CONVERSATIONS:
        errors.append(f"{len(convs)} conversations, need {MIN_CONVERSATIONS}+")
    print(f"{len(convs)} conversations, turns per conversation: {dict(sorted(lengths.items()))}, "
          f"turn kinds: {dict(sorted(kinds.items()))}, last turn unanswerable: {last_unanswerable}, "
          f"html pages: {len(pages)}")
    for e in errors:
        print("ERROR", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
