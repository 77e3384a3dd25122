# Join Slant's articles table to your own corpus on your ids, with
# Python's standard library only. Usage:
#   python3 join_csv.py halvern-corpus.jsonl results/slant-export-articles.csv
import csv
import json
import sys

corpus_path, table_path = sys.argv[1], sys.argv[2]

with open(corpus_path, encoding="utf-8") as f:
    corpus = {record["id"]: record for record in map(json.loads, f)}

with open(table_path, newline="", encoding="utf-8") as f:
    rows = list(csv.DictReader(f))

print("%d articles in the corpus, %d rows in the table" % (len(corpus), len(rows)))
for row in rows:
    mine = corpus[row["external_id"]]  # the join: your id is Slant's external_id
    print("%-7s %-21s lean=%-5s paywalled=%-5s loaded_index=%6s own_findings=%s" % (
        row["external_id"], row["outlet"], row["meta_lean"], row["meta_paywalled"],
        row["loaded_index"], row["own_findings"]))
    assert mine["lean"] == row["meta_lean"]
