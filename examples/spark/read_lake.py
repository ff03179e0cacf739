"""Reads a DuckLake with Spark through Mallard's bridge: the catalog plugin, the DataFrame source,
pushed filters and time travel. Run it from the repository root (see README.md beside this file):

    spark-submit --master 'local[2]' --jars spark-bridge/target/mallard-spark.jar \
        examples/spark/read_lake.py jdbc:ducklake:sqlite:examples/sample-lake/lake.sqlite
"""
import sys

from pyspark.sql import SparkSession

url = sys.argv[1] if len(sys.argv) > 1 else "jdbc:ducklake:sqlite:examples/sample-lake/lake.sqlite"

spark = (SparkSession.builder.appName("mallard-ducklake-example")
         # The lake as a catalog named "lake": its schemas are namespaces, its tables are tables.
         .config("spark.sql.catalog.lake", "dev.mallard.spark.DuckLakeSparkCatalog")
         .config("spark.sql.catalog.lake.url", url)
         .getOrCreate())

spark.sql("SHOW TABLES IN lake.main").show()
spark.sql("DESCRIBE lake.main.sales").show(truncate=False)

# The filter on day goes to Mallard's planner, which skips the files whose statistics rule it out:
# the scan below has one input partition per month that can match.
june = spark.sql("""
    SELECT s.region, r.manager, count(*) AS orders, sum(s.amount) AS total
    FROM lake.main.sales s JOIN lake.main.regions r ON s.region = r.region
    WHERE s.day >= DATE '2025-06-01'
    GROUP BY s.region, r.manager ORDER BY s.region""")
june.explain()
june.show()

# The same table through the DataFrame API, and as it was at an older snapshot.
sales = spark.read.format("ducklake").option("url", url).option("table", "main.sales").load()
print("rows now:", sales.count())
# Snapshot 4 of the sample lake is its first insert into sales: January's 500 rows.
print("rows at snapshot 4:", spark.sql("SELECT count(*) FROM lake.main.sales VERSION AS OF 4").first()[0])

spark.stop()
