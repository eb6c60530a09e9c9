#!/usr/bin/env python3
"""Checks questions.json against the installed PostgreSQL 15 HTML docs (Debian postgresql-doc-15).

- JSON shape, unique ids, allowed kinds, answer/gold consistency per kind;
- every gold file exists under the html dir;
- for answerable questions, the evidence patterns below occur in the text of every gold page
  (tags stripped, whitespace collapsed, case-insensitive), i.e. the answer is stated on the page;
- for unanswerable questions, the probe patterns occur on no page of the corpus;
- no question shares a run of 8+ consecutive words with its gold page (paraphrase check).

Usage: python3 check_questions.py [html_dir]
"""
import json
import os
import re
import sys
from html.parser import HTMLParser

HTML_DIR = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/doc/postgresql-doc-15/html"
HERE = os.path.dirname(os.path.abspath(__file__))
KINDS = {"lookup", "howto", "concept", "error", "unanswerable"}

# id -> patterns that must all match every gold page
EVIDENCE = {
    "pg-001": [r"shared_buffers", r"default is typically 128 megabytes"],
    "pg-002": [r"listen_addresses", r"default value is localhost"],
    "pg-003": [r"default is 50 tuples", r"default is 0\.2 \(20% of table size\)"],
    "pg-004": [r"statement_timeout", r"a value of zero \(the default\) disables the timeout"],
    "pg-005": [r"log_min_duration_statement", r"-1 \(the default\) disables logging statement durations"],
    "pg-006": [r"lpad\('hi', 5, 'xy'\) → xyxhi"],
    "pg-007": [r"date_trunc\('hour', timestamp '2001-02-16 20:38:40'\) → 2001-02-16 20:00:00"],
    "pg-008": [r"gen_random_uuid \(\) → uuid", r"version 4 \(random\) uuid"],
    "pg-009": [r"columns per table ?1,600"],
    "pg-010": [r"\\timing \[ on \| off \]", r"how long each sql statement takes"],
    "pg-011": [r"custom-format archive", r"compressed by default", r"manual selection and reordering"],
    "pg-012": [r"jsonb_set \( jsonb_in jsonb, path text\[\], replacement jsonb"],
    "pg-013": [r"gen_salt\(\)", r"crypt\('new password', gen_salt\('md5'\)\)"],
    "pg-014": [r"generate_series \( start timestamp, stop timestamp, step interval \)"],
    "pg-015": [r"without taking any locks that prevent concurrent inserts, updates, or deletes"],
    "pg-016": [r"on conflict", r"do update", r"excluded"],
    "pg-017": [r"with recursive", r"sub_part", r"union all"],
    "pg-018": [r"partition by range \(logdate\)", r"partition of measurement", r"for values from"],
    "pg-019": [r"--write-recovery-conf", r"standby\.signal", r"postgresql\.auto\.conf"],
    "pg-020": [r"wal_level = logical", r"create publication", r"create subscription", r"pg_hba\.conf"],
    "pg-021": [r"archive_mode to on", r"archive_command", r"replica or higher"],
    "pg-022": [r"header", r"csv", r"copy table_name \[ \( column_name \[, \.\.\.\] \) \] from"],
    "pg-023": [r"enable row level security", r"create policy", r"current_user"],
    "pg-024": [r"grant select on tables", r"alter default privileges"],
    "pg-025": [r"shared_preload_libraries", r"order by total_exec_time desc"],
    "pg-026": [r"analyze", r"buffers"],
    "pg-027": [r"pg_cancel_backend \( pid integer \)", r"pg_terminate_backend", r"pg_stat_activity"],
    "pg-028": [r"generated always as", r"stored"],
    "pg-029": [r"using gin"],
    "pg-030": [r"gin_trgm_ops", r"like"],
    "pg-031": [r"create server", r"create user mapping", r"import foreign schema"],
    "pg-032": [r"--link", r"hard links instead of copying files"],
    "pg-033": [r"--jobs=number-of-jobs", r"only the custom and directory archive formats are supported"],
    "pg-034": [r"refresh materialized view \[ concurrently \]", r"unique index on the materialized view"],
    "pg-035": [r"reading never blocks writing and writing never blocks reading"],
    "pg-036": [r"decomposed binary format", r"supports indexing", r"prefer to store json data as jsonb"],
    "pg-037": [r"oversized-attribute storage technique", r"compressed and/or broken up", r"toast table"],
    "pg-038": [r"changes to data files .* must be written only after those changes have been logged",
               r"redone from the log records"],
    "pg-039": [r"does not modify any columns referenced by the table's indexes",
               r"sufficient free space on the page containing the old row"],
    "pg-040": [r"block range", r"physical"],
    "pg-041": [r"index built over a subset of a table", r"avoid indexing common values"],
    "pg-042": [r"visibility map", r"heap entry must be visited"],
    "pg-043": [r"checkpoint_timeout", r"max_wal_size", r"5 minutes and 1 gb"],
    "pg-044": [r"only sees data committed before the transaction began",
               r"prepared to retry transactions due to serialization failures"],
    "pg-045": [r"no pg_hba\.conf entry for host", r"no matching entry in its pg_hba\.conf"],
    "pg-046": [r"automatically detects deadlock situations", r"consistent order", r"retrying"],
    "pg-047": [r"not accepting commands to avoid wraparound data loss",
               r"it is not necessary or desirable to stop the postmaster", r"replication slots"],
    "pg-048": [r"connection refused", r"does not mean that the server got your connection request and rejected it"],
    "pg-049": [r"out of memory: killed process", r"vm\.overcommit_memory=2", r"max_connections"],
    "pg-050": [r"(remove public creation permission on the public schema|in postgresql 15 and later, the default configuration supports this usage pattern)"],
}

# id -> probe patterns that must occur on no page (whole-word, case-insensitive)
ABSENT = {
    "pg-051": [r"amazon", r"\baws\b", r"relational database service"],  # bare "rds" only occurs as a pg_trgm trigram
    "pg-052": [r"pgvector", r"hnsw", r"ivfflat"],
    "pg-053": [r"patroni", r"\betcd\b"],
    "pg-054": [r"pgconf\.eu", r"pgconf eu", r"\bpgconf\b"],
    "pg-055": [r"\bazure\b", r"flexible server"],
    # release-15-13.html mentions "v17" twice in passing (bug-fix context), describing no v17 feature
    "pg-056": [r"postgresql 17", r"--incremental", r"pg_combinebackup", r"failover slots?"],
    "pg-057": [r"tableau"],
    "pg-058": [r"auto_shard", r"shard"],
    "pg-059": [r"citus"],
    "pg-060": [r"cloud sql", r"db-f1-micro", r"google"],
}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        if tag in ("p", "div", "br", "tr", "td", "li", "h1", "h2", "h3", "h4", "pre", "dt", "dd"):
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def page_text(name, cache={}):
    if name not in cache:
        p = _Text()
        with open(os.path.join(HTML_DIR, name), encoding="utf-8", errors="replace") as f:
            p.feed(f.read())
        cache[name] = re.sub(r"\s+", " ", "".join(p.parts)).lower()
    return cache[name]


def words(s):
    return re.findall(r"[a-z0-9_]+", s.lower())


def main():
    errors = []
    qs = json.load(open(os.path.join(HERE, "questions.json"), encoding="utf-8"))
    ids = [q["id"] for q in qs]
    if len(ids) != len(set(ids)):
        errors.append("duplicate ids")
    for q in qs:
        if set(q) != {"id", "question", "gold", "answer", "kind"}:
            errors.append(f"{q.get('id')}: unexpected keys {sorted(q)}")
        if q["kind"] not in KINDS:
            errors.append(f"{q['id']}: bad kind {q['kind']}")
        if q["kind"] == "unanswerable":
            if q["gold"] or q["answer"] is not None:
                errors.append(f"{q['id']}: unanswerable must have empty gold and null answer")
            continue
        if not q["gold"] or not q["answer"]:
            errors.append(f"{q['id']}: answerable needs gold and answer")
        for g in q["gold"]:
            if not os.path.isfile(os.path.join(HTML_DIR, g)):
                errors.append(f"{q['id']}: gold file missing: {g}")
                continue
            text = page_text(g)
            for pat in EVIDENCE.get(q["id"], []):
                if not re.search(pat, text):
                    errors.append(f"{q['id']}: evidence /{pat}/ not on {g}")
            # paraphrase check: no 8-word run copied from the gold page
            # error messages pasted verbatim by the user (quoted) are exempt
            qtext = q["question"]
            if q["kind"] == "error":
                qtext = re.sub(r"'[^']*'|\"[^\"]*\"", " ", qtext)
            w = words(qtext)
            page = " " + " ".join(words(text)) + " "
            for i in range(len(w) - 7):
                run = " ".join(w[i:i + 8])
                if f" {run} " in page:
                    errors.append(f"{q['id']}: question copies '{run}' from {g}")
                    break
        if q["id"] not in EVIDENCE:
            errors.append(f"{q['id']}: no evidence patterns")

    all_pages = sorted(f for f in os.listdir(HTML_DIR) if f.endswith(".html"))
    for q in qs:
        if q["kind"] != "unanswerable":
            continue
        for pat in ABSENT.get(q["id"], []):
            hits = [f for f in all_pages if re.search(pat, page_text(f))]
            if hits:
                errors.append(f"{q['id']}: probe /{pat}/ found on {hits[:5]}")
        if q["id"] not in ABSENT:
            errors.append(f"{q['id']}: no absence probes")

    kinds = {}
    for q in qs:
        kinds[q["kind"]] = kinds.get(q["kind"], 0) + 1
    print(f"{len(qs)} questions, kinds: {kinds}, html pages: {len(all_pages)}")
    for e in errors:
        print("ERROR", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
