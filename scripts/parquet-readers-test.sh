#!/usr/bin/env bash
# replications.parquet as researchers open it: pyarrow, pandas, polars and
# DuckDB (each from PyPI, in a throwaway virtual environment) read the file of
# a default run and of a merged sharded run, and each must find
#   - every row: replications x columns (columns from the file's metadata
#     `jeugdstroom.columns`), and the replications 0..R-1;
#   - the schema: replication int64, year int32, municipality, area,
#     provider, care_form, metric strings, value double, column int32;
#   - for a few region metrics in every year (inflow, client_days,
#     occupancy, cost in cents), the mean over the replications equal to
#     summary.csv's `mean` to its printed precision (money: euros = cents/100,
#     2 decimals; others 6 decimals).
# R: R's arrow package comes from CRAN, which this machine cannot reach;
# Debian has no r-cran-arrow package. R's arrow is the same Arrow C++ Parquet
# reader pyarrow wraps, so the pyarrow check stands in for it.
#
# Usage: scripts/parquet-readers-test.sh [BINARY]
# Installs python3-venv and python3-pip with apt-get when missing (as root).
# Builds the release binary only if it is missing. Honours CARGO_TARGET_DIR.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
started=$(date +%s)
J=${1:-${CARGO_TARGET_DIR:-target}/release/jeugdstroom}
if [ ! -x "$J" ]; then
    cargo build --release --quiet
fi
J=$(realpath "$J")

if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv python3-pip >/dev/null
    else
        echo "parquet-readers-test: needs python3-venv (apt-get install python3-venv)" >&2
        exit 1
    fi
fi

w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
python3 -m venv "$w/venv"
"$w/venv/bin/pip" install --quiet --disable-pip-version-check pyarrow pandas polars duckdb
"$w/venv/bin/pip" list --format=freeze 2>/dev/null | grep -iE '^(pyarrow|pandas|polars|duckdb)=' | tr '\n' ' '
echo

"$J" run --replications 5 --seed 3 --quiet --out "$w/default" >/dev/null
for k in 1 2 3; do
    "$J" run --replications 7 --seed 5 --shard "$k/3" --quiet --out "$w/shard$k" >/dev/null
done
"$J" merge "$w/shard1" "$w/shard2" "$w/shard3" --out "$w/merged" >/dev/null

cat >"$w/check.py" <<'PY'
import csv, sys
import duckdb, pandas as pd, polars as pl, pyarrow.parquet as pq

folder, replications = sys.argv[1], int(sys.argv[2])
path = f"{folder}/replications.parquet"
meta = pq.ParquetFile(path).schema_arrow.metadata
columns = int(meta[b"jeugdstroom.columns"])
want_schema = [("replication", "int64"), ("year", "int32"), ("municipality", "string"),
               ("area", "string"), ("provider", "string"), ("care_form", "string"),
               ("metric", "string"), ("value", "double"), ("column", "int32")]
METRICS = {"inflow": ("inflow", 1, 6), "client_days": ("client_days", 1, 6),
           "occupancy": ("occupancy", 1, 6), "cost_eur": ("cost_cents", 100, 2)}

summary = {}
with open(f"{folder}/summary.csv", newline="") as f:
    for r in csv.DictReader(f):
        scope = (r["municipality"], r["area"], r["provider"], r["care_form"])
        if scope == ("all",) * 4 and r["metric"] in METRICS:
            summary[(int(r["year"]), r["metric"])] = r["mean"]
assert summary, "summary.csv has the region rows"

def region_means(frame_rows):
    """{(year, file metric): mean} from (year, metric, mean) rows."""
    return {(int(y), m): float(v) for y, m, v in frame_rows}

def check(library, rows, schema, means):
    assert rows == replications * columns, f"{library}: {rows} rows, want {replications} x {columns}"
    assert schema == want_schema, f"{library}: schema {schema}"
    for (year, metric), printed in summary.items():
        name, scale, decimals = METRICS[metric]
        got = means[(year, name)] / scale
        tolerance = 0.5 * 10 ** -decimals + 1e-9 * abs(got)
        assert abs(got - float(printed)) <= tolerance, \
            f"{library}: {year} {metric} mean {got!r}, summary.csv {printed}"
    print(f"  {library}: {rows} rows, schema ok, {len(summary)} region means = summary.csv")

REGION = "municipality = 'all' AND area = 'all' AND provider = 'all' AND care_form = 'all'"
names = [m[0] for m in METRICS.values()]

# pyarrow (the Arrow C++ reader R's arrow package also uses)
t = pq.read_table(path)
types = {"int64": "int64", "int32": "int32", "string": "string", "large_string": "string",
         "double": "double"}
schema = [(f.name, types.get(str(f.type), str(f.type))) for f in t.schema]
df = t.to_pandas()
assert sorted(df.replication.unique()) == list(range(replications))
region = df[(df.municipality == "all") & (df.area == "all") & (df.provider == "all")
            & (df.care_form == "all") & df.metric.isin(names)]
check("pyarrow", t.num_rows, schema,
      region_means(region.groupby(["year", "metric"]).value.mean().reset_index().values))

# pandas
df = pd.read_parquet(path)
pd_types = {"int64": "int64", "int32": "int32", "object": "string", "str": "string",
            "string": "string", "float64": "double"}
schema = [(c, pd_types.get(str(df[c].dtype), str(df[c].dtype))) for c in df.columns]
region = df.query(REGION.replace("AND", "and").replace(" = ", " == ") + " and metric in @names")
check("pandas", len(df), schema,
      region_means(region.groupby(["year", "metric"])["value"].mean().reset_index().values))

# polars
df = pl.read_parquet(path)
pl_types = {"Int64": "int64", "Int32": "int32", "String": "string", "Float64": "double"}
schema = [(c, pl_types.get(str(t), str(t))) for c, t in df.schema.items()]
region = df.filter((pl.col("municipality") == "all") & (pl.col("area") == "all")
                   & (pl.col("provider") == "all") & (pl.col("care_form") == "all")
                   & pl.col("metric").is_in(names))
means = region.group_by(["year", "metric"]).agg(pl.col("value").mean()).rows()
check("polars", df.height, schema, region_means(means))

# DuckDB
con = duckdb.connect()
rows = con.execute(f"SELECT count(*) FROM '{path}'").fetchone()[0]
db_types = {"BIGINT": "int64", "INTEGER": "int32", "VARCHAR": "string", "DOUBLE": "double"}
schema = [(r[0], db_types.get(r[1], r[1])) for r in
          con.execute(f"DESCRIBE SELECT * FROM '{path}'").fetchall()]
in_names = ", ".join(f"'{n}'" for n in names)
means = con.execute(f"SELECT year, metric, avg(value) FROM '{path}' WHERE {REGION} "
                    f"AND metric IN ({in_names}) GROUP BY year, metric").fetchall()
check("duckdb", rows, schema, region_means(means))
PY

for case in "default 5" "merged 7"; do
    set -- $case
    echo "$1 ($2 replications):"
    "$w/venv/bin/python" "$w/check.py" "$w/$1" "$2"
done
echo "parquet-readers-test: passed in $(($(date +%s) - started)) s"
