#!/usr/bin/env bash
# The benchmark's 1,000,000 hires evaluated inside DuckDB and PostgreSQL by
# the query of `pol sql`, beside the built-in evaluator, in one run: the
# totals (they must equal benches/peers/README.md) and the times.
#
# Usage: benches/sql.sh     (needs python3 with duckdb, and PostgreSQL's
# server binaries: Debian's `postgresql`; as root, the server runs as the
# `postgres` user)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
work=${BENCH_DIR:-/tmp/bench}
mkdir -p "$work"

cargo build --release --quiet --manifest-path "$top/Cargo.toml"
pol=$top/target/release/pol
cases=$work/cases_1m.csv
[ -s "$cases" ] || python3 "$here/peers/gen_cases.py" 1000000 "$cases"
echo "   expected: hiring_subsidy 3484474032.00, tax_deduction 1339694886.00"

seconds() { python3 -c 'import time; print(f"{time.perf_counter():.3f}")'; }

echo "== the built-in evaluator: pol eval --cases, to a CSV file"
start=$(seconds)
"$pol" eval "$here/hiring" --cases "$cases" --out "$work/pol_results.csv"
end=$(seconds)
echo "   $(python3 -c "print(f'{$end - $start:.2f}')") s"

"$pol" sql "$here/hiring" --dialect duckdb --schema > "$work/duckdb_schema.sql"
"$pol" sql "$here/hiring" --dialect duckdb | sed 's/;$//' > "$work/duckdb_query.sql"
"$pol" sql "$here/hiring" --dialect postgres --schema > "$work/pg_schema.sql"
"$pol" sql "$here/hiring" --dialect postgres | grep -v '^--' | sed 's/;$//' > "$work/pg_query.sql"

echo "== DuckDB $(python3 -c 'import duckdb; print(duckdb.__version__)'): load the CSV, then the query to a CSV file, and the totals"
python3 - "$work" "$cases" <<'PY'
import sys, time, duckdb
work, cases = sys.argv[1:3]
con = duckdb.connect()
con.execute(open(f"{work}/duckdb_schema.sql").read())
start = time.perf_counter()
con.execute("INSERT INTO cases BY NAME SELECT row_number() OVER () AS \"row\", * FROM read_csv(?, header = true, all_varchar = true)", [cases])
loaded = time.perf_counter()
query = open(f"{work}/duckdb_query.sql").read()
con.execute(f"COPY ({query}) TO '{work}/duckdb_results.csv' (HEADER)")
done = time.perf_counter()
a, b, errors = con.execute(f'SELECT sum("hiring_subsidy.amount"), sum("tax_deduction.amount"), count("error") FROM ({query})').fetchone()
totals = time.perf_counter()
print(f"   load {loaded - start:.2f} s, query to CSV {done - loaded:.2f} s, totals alone {totals - done:.2f} s")
print(f"   hiring_subsidy {a}, tax_deduction {b}, error rows {errors}")
PY

echo "== PostgreSQL: a server on a private socket; \\copy the CSV, then the query to a CSV file, and the totals"
bin=$(ls -d /usr/lib/postgresql/*/bin | tail -1)
pgdir=$(mktemp -d)
as_pg=()
if [ "$(id -u)" = 0 ]; then chown postgres "$pgdir"; as_pg=(runuser -u postgres --); fi
"${as_pg[@]}" "$bin/initdb" -D "$pgdir/data" -A trust -U postgres >/dev/null
"${as_pg[@]}" "$bin/pg_ctl" -D "$pgdir/data" -o "-k $pgdir -c listen_addresses=''" -l "$pgdir/log" -w start >/dev/null
trap '"${as_pg[@]}" "$bin/pg_ctl" -D "$pgdir/data" -m fast stop >/dev/null; rm -rf "$pgdir"' EXIT
psql=("$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$pgdir" -U postgres -d postgres)
export PGOPTIONS="-c jit=off"   # as docs/sql.md advises
"${psql[@]}" -f "$work/pg_schema.sql"
"${psql[@]}" -c "ALTER TABLE cases ALTER COLUMN \"row\" ADD GENERATED ALWAYS AS IDENTITY"
header=$(head -1 "$cases" | sed 's/\([^,]*\)/"\1"/g')
start=$(seconds)
"${psql[@]}" -c "\\copy cases($header) FROM '$cases' WITH (FORMAT csv, HEADER true)"
loaded=$(seconds)
"${psql[@]}" -c "\\copy ($(tr '\n' ' ' < "$work/pg_query.sql")) TO '$work/pg_results.csv' WITH (FORMAT csv, HEADER true)"
done_=$(seconds)
totals=$("${psql[@]}" -At -c "SELECT sum(\"hiring_subsidy.amount\"), sum(\"tax_deduction.amount\"), count(\"error\") FROM ($(cat "$work/pg_query.sql")) q")
end=$(seconds)
echo "   load $(python3 -c "print(f'{$loaded - $start:.2f}')") s, query to CSV $(python3 -c "print(f'{$done_ - $loaded:.2f}')") s, totals alone $(python3 -c "print(f'{$end - $done_:.2f}')") s"
echo "   hiring_subsidy, tax_deduction, error rows: $totals"

echo "== Spark $(python3 -c 'import pyspark; print(pyspark.__version__)') local[2]: the CSV read and cast, then the query to CSV files, and the totals"
"$pol" sql "$here/hiring" --dialect spark --schema > "$work/spark_schema.sql"
"$pol" sql "$here/hiring" --dialect spark | sed 's/;$//' > "$work/spark_query.sql"
python3 - "$work" "$cases" <<'PY'
import sys, time
start = time.perf_counter()
from pyspark.sql import SparkSession, functions as F
spark = (SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
         .config("spark.sql.decimalOperations.allowPrecisionLoss", "false").getOrCreate())
spark.sparkContext.setLogLevel("ERROR")
work, cases = sys.argv[1:3]
spark.sql(open(f"{work}/spark_schema.sql").read().split(";")[0])
types = [(f.name, f.dataType) for f in spark.table("cases").schema.fields]
spark.sql("DROP TABLE cases")
raw = spark.read.option("header", True).csv(cases)
raw = raw.withColumn("row", F.monotonically_increasing_id())
cols = [(F.col(f"`{n}`").cast(t) if n in raw.columns else F.lit(None).cast(t)).alias(n) for n, t in types]
raw.select(*cols).cache().createOrReplaceTempView("cases")
spark.table("cases").count()
started = time.perf_counter()
query = open(f"{work}/spark_query.sql").read()
spark.sql(query).write.mode("overwrite").option("header", True).csv(f"{work}/spark_results")
done = time.perf_counter()
a, b, errors = spark.sql(f'SELECT sum(`hiring_subsidy.amount`), sum(`tax_deduction.amount`), count(`error`) FROM ({query})').collect()[0]
totals = time.perf_counter()
print(f"   start and load (cached) {started - start:.2f} s, query to CSV {done - started:.2f} s, totals alone {totals - done:.2f} s")
print(f"   hiring_subsidy {a}, tax_deduction {b}, error rows {errors}")
PY
