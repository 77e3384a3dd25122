# Join Slant's articles table to your own corpus on your ids, with pandas.
# Usage:
#   python3 join_pandas.py halvern-corpus.jsonl results/slant-export-articles.csv
import sys

import pandas as pd

corpus_path, table_path = sys.argv[1], sys.argv[2]
corpus = pd.read_json(corpus_path, lines=True)
# Keep ids as text: "007" must stay "007" on both sides of the join.
table = pd.read_csv(table_path, dtype={"external_id": str})

joined = corpus.merge(table, left_on="id", right_on="external_id", validate="one_to_one")
print(joined[["id", "outlet_x", "lean", "paywalled", "loaded_index", "own_findings"]].to_string(index=False))
print()
print(joined.groupby("lean")["loaded_index"].mean())
