"""Loads Chorus training shards the way training teams do and checks them against their manifest.

  python scripts/check_shards.py SHARDS_DIR

Hugging Face datasets (load_dataset(DIR), which reads the dataset card's configs block, and the "parquet" builder),
pyarrow and pandas must each read every split with the manifest's row counts and columns; every file's sha256 must
be the manifest's. Exits 1 with one line per problem.
"""
import hashlib
import json
import os
import sys

import datasets
import pandas as pd
import pyarrow.parquet as pq


def main(root):
    manifest = json.load(open(os.path.join(root, "manifest.json")))
    problems = []
    files = {}
    for f in manifest["files"]:
        path = os.path.join(root, f["path"])
        digest = hashlib.sha256(open(path, "rb").read()).hexdigest()
        if digest != f["sha256"]:
            problems.append(f"{f['path']}: sha256 {digest} is not the manifest's {f['sha256']}")
        files.setdefault(f["split"], []).append(path)
    columns = [field["name"] for field in manifest["arrow_schema"]["fields"]]

    datasets.disable_progress_bars()
    by_card = datasets.load_dataset(root)
    by_files = datasets.load_dataset("parquet", data_files=files)
    for split, expected in manifest["splits"].items():
        for how, loaded in (("load_dataset(DIR)", by_card), ("load_dataset('parquet')", by_files)):
            if split not in loaded:
                problems.append(f"{how}: no split {split}")
                continue
            if loaded[split].num_rows != expected["rows"]:
                problems.append(f"{how}: {split} has {loaded[split].num_rows} rows, manifest {expected['rows']}")
            if loaded[split].column_names != columns:
                problems.append(f"{how}: {split} columns {loaded[split].column_names}, manifest {columns}")
        table = pq.ParquetDataset(files[split]).read()
        frame = pd.concat(pd.read_parquet(p) for p in files[split])
        if table.num_rows != expected["rows"] or len(frame) != expected["rows"]:
            problems.append(f"pyarrow/pandas: {split} has {table.num_rows}/{len(frame)} rows, manifest {expected['rows']}")
    extra = set(by_card) - set(manifest["splits"])
    if extra:
        problems.append(f"load_dataset(DIR) has splits the manifest lacks: {sorted(extra)}")

    row = by_card["train"][0]
    shares = row["group_shares"]
    if shares is not None and not all(set(s) == {"group", "share"} for s in shares):
        problems.append(f"group_shares is not a list of (group, share): {shares}")
    for p in problems:
        print(f"check_shards: {p}", file=sys.stderr)
    if not problems:
        counts = ", ".join(f"{s} {e['rows']} rows" for s, e in manifest["splits"].items())
        print(f"check_shards: {root} loads in datasets {datasets.__version__} (load_dataset(DIR) and 'parquet'), "
              f"pyarrow and pandas: {counts}; sha256 of {len(manifest['files'])} files match the manifest")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
