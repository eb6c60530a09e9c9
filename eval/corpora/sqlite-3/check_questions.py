#!/usr/bin/env python3
"""Checks questions.json and conversations.json against the installed SQLite HTML docs (Debian sqlite3-doc).

questions.json:
- JSON shape, unique ids, allowed kinds, answer/gold consistency per kind, counts per kind;
- every gold file exists under the html dir and none is a page the suite leaves out (EXCLUDED);
- no page is gold for two questions;
- for answerable questions, the evidence patterns below occur in the text of every gold page
  (tags stripped, whitespace collapsed, case-insensitive), i.e. the answer is stated on the page;
- for unanswerable questions, the probe patterns occur on no page of the corpus;
- no question shares a run of 8+ consecutive words with its gold page (paraphrase check).

conversations.json (a JSON array of {"id", "turns": [{"question", "gold", "answer", "kind"}, ...]}):
- unique ids, 2-4 turns, the first turn of kind "first", later turns "followup" or "unanswerable";
- gold files exist (and are not EXCLUDED), evidence patterns occur on every gold page of a turn;
- unanswerable turns have gold [] and answer null, and their probes occur on no page;
- no turn shares a run of 8+ consecutive words with its gold pages (quoted text exempt);
- a follow-up turn refers back (starts with one of FOLLOWUP_OPENERS or contains one of FOLLOWUP_MARKERS), so it
  cannot be read alone.

Usage: python3 check_questions.py [html_dir] [--also]
  --also  lists, per answerable question, the other pages on which all its evidence patterns occur
          (duplicated facts; informational, not an error)
"""
import json
import os
import re
import sys
from html.parser import HTMLParser

ARGS = [a for a in sys.argv[1:] if not a.startswith("--")]
HTML_DIR = ARGS[0] if ARGS else "/usr/share/doc/sqlite3"
SHOW_ALSO = "--also" in sys.argv
HERE = os.path.dirname(os.path.abspath(__file__))
KINDS = {"lookup", "howto", "concept", "error", "unanswerable"}
TURN_KINDS = {"first", "followup", "unanswerable"}
MIN_ANSWERABLE, MIN_UNANSWERABLE, MIN_CONVERSATIONS = 50, 15, 30

# Pages the suite does not ingest (eval/suites/sqlite-3.yaml, exclude) because they repeat gold pages word for word:
# capi3ref.html = every c3ref/*.html page on one page, fileformat2.html = fileformat.html byte for byte,
# releaselog/current.html = releaselog/3_40_1.html, requirements.html = the docs' requirement sentences (945 kB of
# text, out of context). session.html (every session/*.html page on one page) stays: no gold page is under session/,
# and an exclude glob without '/' would also drop session/session.html.
EXCLUDED = {"capi3ref.html", "fileformat2.html", "releaselog/current.html", "requirements.html"}

# id -> patterns that must all match every gold page
EVIDENCE = {
    "sq-001": [r"select datetime\(1092941466, 'unixepoch', 'localtime'\)"],
    "sq-002": [r"current_timestamp, then the value used in the new row is a text representation of the current utc",
               r"format for current_timestamp is \"yyyy-mm-dd hh:mm:ss\""],
    "sq-003": [r"the default mode is serialized", r"can be safely used by multiple threads with no restriction"],
    "sq-004": [r"alternative names", r"sqlite_master", r"sqlite_temp_master"],
    "sq-005": [r"does not support encryption", r"does not support zip64 extensions",
               r"only compression algorithm supported is \"deflate\""],
    "sq-006": [r"fewer than 100k hits/day should work fine", r"conservative estimate"],
    "sq-007": [r"sqlite_enable_update_delete_limit", r"optional order by and limit clauses"],
    "sq-008": [r"comma-separators", r"\"2,147,483,647\" with \"%,d\""],
    "sq-009": [r"sqlite_tmpdir environment variable the tmpdir environment variable /var/tmp /usr/tmp /tmp"],
    "sq-010": [r"inserts into without rowid tables are not recorded",
               r"sqlite3_last_insert_rowid\(d\) returns zero"],
    "sq-011": [r"one result row for each database row that is deleted, inserted, or updated"],
    "sq-012": [r"gcc shell\.c sqlite3\.c -lpthread -ldl -lm -o sqlite3"],
    "sq-013": [r"\.headers on", r"\.mode csv", r"\.once c:/work/dataout\.csv", r"first row of the resulting csv file will contain column labels"],
    "sq-014": [r"vacuum into", r"all deleted content is purged"],
    "sq-015": [r"on conflict\(word\) do update set count=count\+1", r"excluded\."],
    "sq-016": [r"group_concat\(x,y\)", r"used as the separator"],
    "sq-017": [r"lag\(expr, offset, default\)", r"against the previous row in the partition"],
    "sq-018": [r"with recursive works_for_alice\(n\) as", r"where org\.boss=works_for_alice\.n"],
    "sq-019": [r"create unique index team_leader on person\(team_id\) where is_team_leader"],
    "sq-020": [r"select highlight\(fts, 0, '<b>', '</b>'\) from fts where fts match \?"],
    "sq-021": [r"pragma schema\.integrity_check", r"single row with the value 'ok' is returned", r"quick_check"],
    "sq-022": [r"adds another database file to the current database connection",
               r"schema-name\.table-name"],
    "sq-023": [r"immutable", r"read-only media", r"locking and change detection"],
    "sq-024": [r"a keyword in double-quotes is an identifier", r"\[keyword\]", r"`keyword`",
               r"a keyword in single quotes is a string literal"],
    "sq-025": [r"substitute for the distinct on clause", r"sqlite supports distinct but not distinct on"],
    "sq-026": [r"may be nested", r"rollback to", r"release command is like a commit for a savepoint"],
    "sq-027": [r"explain query plan", r"\"scan\" is used for a full-table scan", r"\"search\" indicates that only a subset"],
    "sq-028": [r"pragma analysis_limit=400; pragma optimize;", r"just prior to closing each database connection"],
    "sq-029": [r"raise\(abort,", r"sqlite_constraint is returned to the application, along with the specified error message"],
    "sq-030": [r"ignore resolution algorithm skips the one row that contains the constraint violation and continues"],
    "sq-031": [r"void sqlite3_interrupt\(sqlite3\*\)", r"safe to call this routine from a thread different"],
    "sq-032": [r"recording changes to some or all of the rowid tables", r"changeset",
               r"sqlite3session_create", r"sqlite3changeset_apply"],
    "sq-033": [r"amount of disk space used to store the content", r"sqlite_enable_dbstat_vtab", r"pgsize"],
    "sq-034": [r"sqldiff \[options\] database1\.sqlite database2\.sqlite",
               r"sql script that will transform database1\.sqlite .* into database2\.sqlite"],
    "sq-035": [r"memory-mapped i/o is disabled by default", r"use the mmap_size pragma"],
    "sq-036": [r"where \(lastname,firstname\) > \(\?1,\?2\)", r"offset requires time proportional to the offset value"],
    "sq-037": [r"update from", r"supported beginning in sqlite version 3\.33\.0", r"compatible with postgresql"],
    "sq-038": [r"online backup api", r"loading and saving in-memory databases", r"sqlite3_backup_init",
               r"sqlite3_backup_step", r"sqlite3_backup_finish"],
    "sq-039": [r"sqlite_dbconfig_trusted_schema", r"pragma trusted_schema=off", r"sqlite_directonly"],
    "sq-040": [r"imposes extra cpu, memory, disk space, and disk i/o overhead", r"usually not needed"],
    "sq-041": [r"if the declared type contains the string \"int\" then it is assigned integer affinity",
               r"\"floating point\" would give integer affinity", r"otherwise, the affinity is numeric"],
    "sq-042": [r"-> operator returns a json representation", r"->> operator returns an sql text, integer, real, or null"],
    "sq-043": [r"reader is only able to see complete committed transactions",
               r"shared cache mode and the read_uncommitted pragma is the only way"],
    "sq-044": [r"non-integer or composite \(multi-column\) primary keys", r"1/20th the size of a database page",
               r"avoid creating without rowid tables with single-column primary keys of type integer"],
    "sq-045": [r"only virtual columns can be added using alter table"],
    "sq-046": [r"designed for doing range queries", r"bounding box"],
    "sq-047": [r"every :memory: database is distinct from every other", r"file::memory:\?cache=shared"],
    "sq-048": [r"usually not the best way to use a single sqlite database from multiple systems"],
    "sq-049": [r"50,000 or more insert statements per second", r"few dozen transactions per second",
               r"each insert statement is its own transaction", r"begin\.\.\.commit"],
    "sq-050": [r"default transaction behavior is deferred", r"immediate cause the database connection to start a new write immediately"],
    "sq-051": [r"floating point values are approximate", r"decimal extension", r"included in the cli"],
    "sq-052": [r"shared-cache mode is an obsolete feature", r"better served by wal mode"],
    "sq-053": [r"no new shared locks are permitted against the database if a pending lock is active"],
    "sq-054": [r"not a hinting mechanism", r"requirement of which index to use", r"not intended for use in tuning"],
    "sq-055": [r"previously deleted content might reappear", r"recovered content might be altered",
               r"constraints may not be valid after recovery"],
    "sq-056": [r"sqlite_max_variable_number", r"32766 for sqlite versions after 3\.32\.0"],
    "sq-057": [r"foreign key constraints are disabled by default", r"pragma foreign_keys = on",
               r"separately for each database connection"],
    "sq-058": [r"int sqlite3_busy_timeout\(sqlite3\*, int ms\)", r"sleep multiple times"],
    "sq-059": [r"-dsqlite_enable_math_functions", r"sqrt\(x\)"],
    "sq-060": [r"only works if the column is not referenced by any other parts of the schema",
               r"the column is indexed"],
    "sq-061": [r"you cannot delete, insert, or update a view", r"instead of trigger"],
    "sq-062": [r"extension loading is turned off by default",
               r"sqlite3_db_config\(db,sqlite_dbconfig_enable_load_extension,1,null\)"],
    "sq-063": [r"sqlite_readonly_directory result code indicates",
               r"permission to create a journal file in the same directory"],
    "sq-064": [r"the query planner does not do algebra", r"select \* from t2 where y\+x=22"],
    "sq-065": [r"unfinalized prepared statements", r"sqlite3_close\(\) will leave the database connection open and return sqlite_busy",
               r"zombie"],
    "sq-066": [r"sqlite_transient, may be passed to indicate that the object is to be copied", r"sqlite_static"],
    "sq-067": [r"no regexp\(\) user function is defined by default"],
    "sq-068": [r"wal file will grow without bound", r"checkpoint starvation", r"1000 pages"],
}

# id -> probe patterns that must occur on no page (case-insensitive)
ABSENT = {
    "sq-069": [r"sqlalchemy", r"declarative_base"],
    "sq-070": [r"db browser", r"dbeaver", r"sqlitestudio"],
    "sq-071": [r"sqlcipher", r"pragma rekey"],  # "xRekey" (a page-cache method) is unrelated
    "sq-072": [r"litestream", r"s3 bucket"],
    "sq-073": [r"androidx", r"room library", r"room persistence", r"jetpack"],
    "sq-074": [r"sqlite-vec", r"sqlite-vss", r"vector index"],
    "sq-075": [r"innodb"],
    "sq-076": [r"duckdb"],
    "sq-077": [r"17 multiplied by 23", r"17 \* 23", r"17 times 23"],
    "sq-078": [r"\beggs?\b", r"yolk"],
    "sq-079": [r"git reset", r"--soft"],  # whynotgit.html discusses Git, but not undoing commits
    "sq-080": [r"flexbox", r"justify-content"],
    "sq-081": [r"canberra"],  # "Australia" occurs (a developer's home, an FTS example), the capital does not
    "sq-082": [r"wallpaper", r"windows 11"],
    "sq-083": [r"fahrenheit", r"celsius"],
}

# Conversation turns: "conversation id/turn number (1-based)" -> evidence patterns (answerable turns)
# or absence probes (unanswerable turns).
TURN_EVIDENCE = {
    "sq-c01/1": [r"pragma journal_mode=wal;", r"return the string \"wal\""],
    "sq-c01/2": {"wal.html": [r"pragma journal_mode=wal is persistent", r"closes and reopens the database, the database will come back in wal mode"], "pragma.html": [r"the wal journaling mode is persistent; after being set it stays in effect across multiple database connections and after closing and reopening the database"]},
    "sq-c01/3": [r"pragma journal_mode=delete;", r"changes the database file format version numbers back to 1"],
    "sq-c02/1": [r"transactions involving multiple attached databases are atomic", r"journal_mode is not wal"],
    "sq-c02/2": {"lang_attach.html": [r"continue to be atomic within each individual database file"], "wal.html": [r"atomic for each individual database, but are not atomic across all databases as a set"]},
    "sq-c03/1": [r"pragma foreign_keys = on", r"disabled by default"],
    "sq-c03/2": [r"enabled separately for each database connection"],
    "sq-c03/3": [r"pragma schema\.foreign_key_check", r"one row output for each foreign key violation"],
    "sq-c04/1": [r"an index can also be formed on expressions involving table columns"],
    "sq-c04/2": [r"except for minor syntactic differences such as white-space changes"],
    "sq-c04/3": {"expridx.html": [r"application-defined sql functions are by default considered non-deterministic", r"sqlite_deterministic"], "deterministic.html": [r"application-defined sql functions are considered to be non-deterministic", r"sqlite_deterministic"]},
    "sq-c04/4": [r"create a partial index by adding a where clause to the end of an ordinary create index statement"],
    "sq-c05/1": [r"rollback journal is deleted at the conclusion of each transaction", r"truncating the rollback journal to zero-length"],
    "sq-c05/2": [r"the delete journaling mode is the normal behavior"],
    "sq-c05/3": [r"memory journal(ing)? mode", r"likely (go corrupt|result in a corrupt database)"],
    "sq-c06/1": [r"add column syntax is used to add a new column to an existing table", r"always appended to the end"],
    "sq-c06/2": [r"if a not null constraint is specified, then the column must have a default value other than null"],
    "sq-c06/3": [r"may not have a default value of current_time, current_date, current_timestamp"],
    "sq-c06/4": [r"drop column syntax is used to remove an existing column from a table"],
    "sq-c07/1": {"lang_vacuum.html": [r"running vacuum to rebuild the database reclaims this space"], "faq.html": [r"want to shrink the database file, run the vacuum command"]},
    "sq-c07/2": [r"auto-vacuum mode is 1 or \"full\"", r"truncated to remove the freelist pages at every transaction commit"],
    "sq-c07/3": [r"auto-vacuum does not defragment the database", r"make fragmentation worse"],
    "sq-c07/4": [r"changing from \"none\" to \"full\" or \"incremental\" can only occur when the database is new", r"then invoke the vacuum command"],
    "sq-c08/1": {"fts5.html": [r"fts5 is an sqlite virtual table module that provides full-text search", r"create virtual table email using fts5"], "fts3.html": [r"full-text search", r"create virtual table .{0,40} using fts[34]"]},
    "sq-c08/2": [r"order by rank", r"bm25"],
    "sq-c08/3": [r"the snippet\(\) function is similar to highlight\(\)", r"short fragment of document text"],
    "sq-c09/1": [r"281 terabytes", r"4294967294"],
    "sq-c09/2": [r"sqlite_max_length", r"default value of this macro is 1 billion"],
    "sq-c10/1": [r"compute the current date\. select date\(\);"],
    "sq-c10/2": [r"date\('now','start of month','\+1 month','-1 day'\)"],
    "sq-c10/3": [r"\"localtime\" modifier \(14\) assumes the time value to its left is in universal coordinated time"],
    "sq-c11/1": [r"returning clause", r"one result row for each database row that is deleted, inserted, or updated"],
    "sq-c11/2": [r"cannot be used by statements within triggers"],
    "sq-c11/3": [r"it cannot be used as a subquery"],
    "sq-c12/1": [r"\.import file table import data from file into table", r"--csv"],
    "sq-c12/2": [r"the table is automatically created and the content of the first input row is used to set the name of all the columns"],
    "sq-c12/3": [r"including the first, is taken to be actual data content", r"--skip 1"],
    "sq-c13/1": [r"row_number\(\)", r"partition by"],
    "sq-c13/2": [r"rank of the current row with gaps", r"rank of the current row without gaps"],
    "sq-c14/1": [r"'a' like 'a' is true"],
    "sq-c14/2": [r"case sensitive by default for unicode characters that are beyond the ascii range", r"icu extension"],
    "sq-c14/3": [r"case_sensitive_like"],
    "sq-c15/1": [r"sync at the most critical moments, but less often than in full mode"],
    "sq-c15/2": [r"wal mode is safe from corruption with synchronous=normal", r"wal mode does lose durability"],
    "sq-c16/1": {"isolation.html": [r"there can only be a single writer at a time"], "faq.html": [r"only one process can be making changes to the database at any moment in time"]},
    "sq-c16/2": [r"there can only be one writer at a time", r"readers do not block writers"],
    "sq-c16/3": {"c3ref/busy_timeout.html": [r"int sqlite3_busy_timeout\(sqlite3\*, int ms\)", r"sleeps for a specified amount of time when a table is locked"], "pragma.html": [r"pragma busy_timeout = milliseconds", r"alternative to the sqlite3_busy_timeout\(\) c-language interface"]},
    "sq-c17/1": [r"sqlite_open_readonly the database is opened in read-only mode"],
    "sq-c17/2": [r"if the database does not already exist, an error is returned"],
    "sq-c17/3": {"uri.html": [r"mode=ro", r"the mode query parameter determines if the new database is opened read-only"], "c3ref/open.html": [r"\"ro\" is specified, then the database is opened for read-only access, just as if the sqlite_open_readonly flag"]},
    "sq-c18/1": [r"json_extract\(x,p1,p2,\.\.\.\) extracts and returns one or more values"],
    "sq-c18/2": [r"json_each\(x\) and json_tree\(x\) table-valued functions walk the json value", r"one row for each element"],
    "sq-c18/3": [r"json_valid\(x\) function return 1 if the argument x is well-formed json"],
    "sq-c19/1": [r"\"strict\" table-option keyword", r"strict typing rules apply"],
    "sq-c19/2": [r"the datatype must be one of following: int integer real text blob any"],
    "sq-c19/3": [r"the new any datatype name is introduced", r"preserved exactly"],
    "sq-c20/1": [r"only becomes an integer primary key if the declared type name is exactly \"integer\""],
    "sq-c20/2": [r"other integer type names like \"int\" or \"bigint\""],
    "sq-c20/3": [r"the special behaviors associated \"integer primary key\" do not apply on without rowid tables"],
    "sq-c21/1": [r"opens a handle to the blob located in row irow", r"sqlite3_blob_close"],
    "sq-c21/2": {"c3ref/blob_open.html": [r"the size of a blob may not be changed by this interface"], "c3ref/blob_write.html": [r"not possible to increase the size of a blob using this api"]},
    "sq-c21/3": [r"zeroblob", r"zero-filled blob"],
    "sq-c22/1": [r"only visible to the database connection in which the \"create temp table\" statement", r"deleted automatically when the database connection is closed"],
    "sq-c22/2": [r"default value of the sqlite_temp_store compile-time parameter is 1", r"store temporary files on disk"],
    "sq-c22/3": [r"temp_store is memory \(2\) temporary tables and indices are kept as if they were in pure in-memory databases"],
    "sq-c23/1": {"lang_with.html": [r"returns all integers between 1 and 1000000", r"cnt\(x\) as \(values\(1\) union all select x\+1 from cnt where x<1000000\)"], "series.html": [r"generate_series"]},
    "sq-c23/2": [r"programmers should strive to use union all instead of union"],
    "sq-c23/3": [r"recursion is stopped by a limit rather than a where clause"],
    "sq-c24/1": [r"\(19\) sqlite_constraint"],
    "sq-c24/2": [r"sqlite3_extended_errcode", r"\(2067\) sqlite_constraint_unique", r"\(1299\) sqlite_constraint_notnull"],
    "sq-c25/1": [r"\.backup \?db\? file backup db"],
    "sq-c25/2": [r"alternative to the backup api", r"the backup api uses fewer cpu cycles and can be executed incrementally"],
    "sq-c26/1": [r"single large file of c-code named \"sqlite3\.c\""],
    "sq-c26/2": [r"between 5% and 10% faster"],
    "sq-c27/1": [r"\.timer on\|off turn sql timer on or off"],
    "sq-c27/2": [r"\.eqp on\|off\|full\|\.\.\. enable or disable automatic explain query plan"],
    "sq-c27/3": [r"\"scan\" is used for a full-table scan", r"\"search\" indicates that only a subset"],
    "sq-c28/1": [r"suggest corrections to misspelled words"],
    "sq-c28/2": [r"not included in the sqlite amalgamation and is not a part of any standard sqlite build"],
    "sq-c28/3": [r"create virtual table demo using spellfix1"],
    "sq-c29/1": [r"sqlite_version\(\) function returns the version string"],
    "sq-c29/2": [r"sqlite3_libversion\(\) function returns a pointer", r"sqlite3_libversion_number"],
    "sq-c30/1": [r"created using the sqlite3_create_function\(\) family of interfaces"],
    "sq-c30/2": [r"two callback functions, xstep and xfinal"],
    "sq-c30/3": [r"plus two others: xvalue and xinverse"],
    "sq-c31/1": [r"default transaction behavior is deferred"],
    "sq-c31/2": [r"subsequent write statements will upgrade the transaction to a write transaction if possible, or return sqlite_busy"],
    "sq-c31/3": [r"exclusive and immediate are the same in wal mode"],
    "sq-c32/1": [r"\.schema \?pattern\? show the create statements matching pattern"],
    "sq-c32/2": [r"\.tables \?table\? list names of tables matching like pattern table"],
}
TURN_ABSENT = {
    "sq-c09/3": [r"1 ?tb ssd", r"ssd prices?"],
    "sq-c24/3": [r"name for (a|my) (new )?cat", r"cat names"],
    "sq-c25/3": [r"google drive"],
    "sq-c26/3": [r"\bcargo\b", r"crates\.io"],
    "sq-c29/3": [r"weather", r"forecast"],
    "sq-c32/3": [r"dbeaver"],
}

# A follow-up must lean on the earlier turns: it starts with one of FOLLOWUP_OPENERS or contains one of
# FOLLOWUP_MARKERS (whole words, case-insensitive).
FOLLOWUP_OPENERS = ["and", "so", "but", "ok", "okay", "then", "now", "what about", "how about"]
FOLLOWUP_MARKERS = ["it", "its", "that", "this", "these", "those", "them", "they", "there", "same",
                    "instead", "also", "too", "either", "one", "ones", "such", "here"]


def refers_back(question):
    low = question.lower().strip()
    return (any(re.match(re.escape(o) + r"\b", low) for o in FOLLOWUP_OPENERS)
            or any(re.search(r"\b" + re.escape(m) + r"\b", low) for m in FOLLOWUP_MARKERS))


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "svg"):
            self.skip += 1
        if tag in ("p", "div", "br", "tr", "td", "li", "h1", "h2", "h3", "h4", "pre", "dt", "dd"):
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "svg"):
            self.skip = max(0, self.skip - 1)

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


def all_pages():
    pages = []
    for root, _, files in os.walk(HTML_DIR):
        for f in files:
            if f.endswith(".html"):
                pages.append(os.path.relpath(os.path.join(root, f), HTML_DIR).replace(os.sep, "/"))
    return sorted(pages)


def words(s):
    return re.findall(r"[a-z0-9_]+", s.lower())


def check_gold(label, gold, patterns, errors, question=None, kind=None):
    """Gold files exist, are ingested, and state the answer; optionally the question is no copy of them.

    patterns: a list that must match every gold page, or a dict of gold page -> its own list.
    """
    if isinstance(patterns, dict) and set(patterns) != set(gold):
        errors.append(f"{label}: evidence pages {sorted(patterns)} are not the gold pages {sorted(gold)}")
    for g in gold:
        if g in EXCLUDED:
            errors.append(f"{label}: gold page {g} is left out of the suite (EXCLUDED)")
        if not os.path.isfile(os.path.join(HTML_DIR, g)):
            errors.append(f"{label}: gold file missing: {g}")
            continue
        text = page_text(g)
        for pat in (patterns.get(g, []) if isinstance(patterns, dict) else patterns):
            if not re.search(pat, text):
                errors.append(f"{label}: evidence /{pat}/ not on {g}")
        if question is None:
            continue
        # paraphrase check: no 8-word run copied from the gold page;
        # error messages pasted verbatim by the user (quoted, in error questions and conversation turns) are exempt
        qtext = question
        if kind in ("error", "turn"):
            qtext = re.sub(r"'[^']*'|\"[^\"]*\"", " ", qtext)
        w = words(qtext)
        page = " " + " ".join(words(text)) + " "
        for i in range(len(w) - 7):
            run = " ".join(w[i:i + 8])
            if f" {run} " in page:
                errors.append(f"{label}: question copies '{run}' from {g}")
                break


def check_absent(label, probes, pages, errors):
    for pat in probes:
        hits = [f for f in pages if re.search(pat, page_text(f))]
        if hits:
            errors.append(f"{label}: probe /{pat}/ found on {hits[:5]}")


def check_questions(pages, errors):
    qs = json.load(open(os.path.join(HERE, "questions.json"), encoding="utf-8"))
    ids = [q.get("id") for q in qs]
    if len(ids) != len(set(ids)):
        errors.append("questions: duplicate ids")
    owner = {}
    for q in qs:
        qid = q.get("id")
        if set(q) != {"id", "question", "gold", "answer", "kind"}:
            errors.append(f"{qid}: unexpected keys {sorted(q)}")
            continue
        if not re.fullmatch(r"sq-\d{3}", qid):
            errors.append(f"{qid}: id is not sq-NNN")
        if q["kind"] not in KINDS:
            errors.append(f"{qid}: bad kind {q['kind']}")
        if q["kind"] == "unanswerable":
            if q["gold"] or q["answer"] is not None:
                errors.append(f"{qid}: unanswerable must have empty gold and null answer")
            if qid not in ABSENT:
                errors.append(f"{qid}: no absence probes")
            check_absent(qid, ABSENT.get(qid, []), pages, errors)
            continue
        if not q["gold"] or not q["answer"]:
            errors.append(f"{qid}: answerable needs gold and answer")
        if qid not in EVIDENCE:
            errors.append(f"{qid}: no evidence patterns")
        for g in q["gold"]:
            if g in owner:
                errors.append(f"{qid}: page {g} is already gold for {owner[g]}")
            owner[g] = qid
        check_gold(qid, q["gold"], EVIDENCE.get(qid, []), errors, q["question"], q["kind"])
        if SHOW_ALSO and qid in EVIDENCE:
            also = [p for p in pages if p not in q["gold"]
                    and all(re.search(pat, page_text(p)) for pat in EVIDENCE[qid])]
            if also:
                print(f"  {qid}: evidence also on {also}")
    for qid in set(EVIDENCE) | set(ABSENT):
        if qid not in ids:
            errors.append(f"{qid}: patterns for an unknown question")
    kinds = {}
    for q in qs:
        kinds[q.get("kind")] = kinds.get(q.get("kind"), 0) + 1
    answerable = len(qs) - kinds.get("unanswerable", 0)
    if answerable < MIN_ANSWERABLE or kinds.get("unanswerable", 0) < MIN_UNANSWERABLE:
        errors.append(f"questions: need {MIN_ANSWERABLE}+ answerable and {MIN_UNANSWERABLE}+ unanswerable")
    print(f"questions.json: {len(qs)} questions, kinds: {dict(sorted(kinds.items()))}, "
          f"{len(owner)} distinct gold pages")


def check_conversations(pages, errors):
    path = os.path.join(HERE, "conversations.json")
    convs = json.load(open(path, encoding="utf-8"))
    ids = [c.get("id") for c in convs]
    if len(ids) != len(set(ids)):
        errors.append("conversations: duplicate ids")
    turn_kinds, lengths, unanswerable_last = {}, {}, 0
    used = set()
    for c in convs:
        cid = c.get("id")
        if set(c) != {"id", "turns"} or not re.fullmatch(r"sq-c\d{2}", str(cid)):
            errors.append(f"{cid}: a conversation is {{\"id\": \"sq-cNN\", \"turns\": [...]}}")
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
            turn_kinds[kind] = turn_kinds.get(kind, 0) + 1
            if kind not in TURN_KINDS:
                errors.append(f"{label}: bad kind {kind}")
            if (n == 1) != (kind == "first"):
                errors.append(f"{label}: only the first turn is (and must be) of kind 'first'")
            if not t["question"].strip():
                errors.append(f"{label}: empty question")
            if kind == "followup" and not refers_back(t["question"]):
                errors.append(f"{label}: follow-up does not refer back to the conversation")
            if kind == "unanswerable":
                if t["gold"] or t["answer"] is not None:
                    errors.append(f"{label}: unanswerable turn must have empty gold and null answer")
                if label not in TURN_ABSENT:
                    errors.append(f"{label}: no absence probes")
                check_absent(label, TURN_ABSENT.get(label, []), pages, errors)
                if n == len(turns):
                    unanswerable_last += 1
                continue
            if not t["gold"] or not t["answer"]:
                errors.append(f"{label}: answerable turn needs gold and answer")
            if label not in TURN_EVIDENCE:
                errors.append(f"{label}: no evidence patterns")
            check_gold(label, t["gold"], TURN_EVIDENCE.get(label, []), errors, t["question"], "turn")
    for label in set(TURN_EVIDENCE) | set(TURN_ABSENT):
        if label not in used:
            errors.append(f"{label}: patterns for an unknown turn")
    if len(convs) < MIN_CONVERSATIONS:
        errors.append(f"conversations: {len(convs)}, need {MIN_CONVERSATIONS}+")
    print(f"conversations.json: {len(convs)} conversations, turns per conversation: "
          f"{dict(sorted(lengths.items()))}, turn kinds: {dict(sorted(turn_kinds.items()))}, "
          f"last turn unanswerable: {unanswerable_last}")


def main():
    if not os.path.isfile(os.path.join(HTML_DIR, "index.html")):
        print(f"ERROR no SQLite docs at {HTML_DIR} (scripts/corpora.sh install sqlite-3)")
        return 1
    errors = []
    pages = all_pages()
    print(f"html pages: {len(pages)} ({len(pages) - len(EXCLUDED)} ingested by the suite)")
    check_questions(pages, errors)
    if os.path.exists(os.path.join(HERE, "conversations.json")):
        check_conversations(pages, errors)
    else:
        print("conversations.json: not there yet")
    for e in errors:
        print("ERROR", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
