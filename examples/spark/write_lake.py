"""Writes a DuckLake with Spark through Mallard's bridge: CREATE TABLE AS SELECT, appends and an
overwrite, each one DuckLake snapshot that DuckDB reads as its own. Run it from the repository root
on a copy of the sample lake (see README.md beside this file):

    cp -r examples/sample-lake /tmp/lake
    spark-submit --master 'local[2]' --jars spark-bridge/target/mallard-spark.jar \
        examples/spark/write_lake.py jdbc:ducklake:sqlite:/tmp/lake/lake.sqlite /tmp/lake/data/
"""
import sys

from pyspark.sql import SparkSession

url = sys.argv[1]
data_path = sys.argv[2]

spark = (SparkSession.builder.appName("mallard-ducklake-write-example")
         .config("spark.sql.catalog.lake", "dev.mallard.spark.DuckLakeSparkCatalog")
         .config("spark.sql.catalog.lake.url", url)
         .config("spark.sql.catalog.lake.data_path", data_path)
         .getOrCreate())

# CTAS: the executors write Parquet files, the driver commits them in one DuckLake transaction.
spark.sql("""
    CREATE TABLE lake.main.region_totals AS
    SELECT region, count(*) AS orders, sum(amount) AS total FROM lake.main.sales GROUP BY region""")

# An append, through SQL and through the DataFrame API; each is one new snapshot.
spark.sql("INSERT INTO lake.main.region_totals VALUES ('nowhere', 0, 0)")
spark.table("lake.main.region_totals").where("orders > 0").writeTo("lake.main.region_totals").append()
spark.sql("SELECT * FROM lake.main.region_totals ORDER BY region").show()

# Replace every row in one snapshot; the old rows stay readable by time travel.
spark.sql("INSERT OVERWRITE lake.main.region_totals SELECT region, 1, 1 FROM lake.main.regions")
spark.sql("SELECT count(*) FROM lake.main.region_totals").show()

spark.sql("DROP TABLE lake.main.region_totals")
spark.stop()
