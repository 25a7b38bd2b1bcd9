#!/usr/bin/env bash
# The spark-submit path, checked on one machine: builds the cluster jar (pdrecon + libtorch inside, Spark left
# out), assembles a Spark 4.0.1 "distribution" from the Maven jars (Spark's own, not pdrecon's nor DJL's), starts a
# standalone master and worker on loopback, submits a batch of MANIFEST into OUT, then stops the cluster.
# Usage: spark/cluster-check.sh MANIFEST OUT        (docs/scale-out.md)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
manifest="$(realpath "$1")"; out="$(realpath -m "$2")"
cd "$root"
mvn -q -B -DskipTests -pl spark -am package            # spark/target/lib: Spark's jars and the core's
mvn -q -B -DskipTests -pl spark -am -Pcluster package  # spark/target/pdrecon-spark-cluster.jar
home="$(mktemp -d)"; mkdir -p "$home/jars"
# Spark's jars are the module's runtime jars that the core does not bring (and the few both need).
comm -23 <(ls spark/target/lib | sort) <(ls core/target/lib | sort) | grep -v '^pdrecon' > "$home/list"
ls core/target/lib | grep -E '^(slf4j-api|commons-compress|commons-logging)-' >> "$home/list"
while read -r j; do ln -s "$root/spark/target/lib/$j" "$home/jars/$j"; done < "$home/list"
opens="$(tr '\n' ' ' < spark/java17.args)"
export SPARK_HOME="$home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$home"' EXIT
java $opens -cp "$home/jars/*" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port 7077 --webui-port 8090 > "$home/master.log" 2>&1 & pids+=($!)
sleep 5
java $opens -cp "$home/jars/*" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores "$(nproc)" --memory 6g --webui-port 8091 \
  spark://127.0.0.1:7077 > "$home/worker.log" 2>&1 & pids+=($!)
sleep 5
# Executors unpack libtorch from the jar into a fresh cache: nothing is downloaded.
java $opens -cp "$home/jars/*" org.apache.spark.deploy.SparkSubmit --master spark://127.0.0.1:7077 --class org.pdrecon.spark.SparkMain \
  --conf spark.driver.host=127.0.0.1 --conf "spark.executor.extraJavaOptions=$opens -Dai.djl.offline=true -DENGINE_CACHE_DIR=$home/djl" \
  --driver-java-options "-Dai.djl.offline=true -Dorg.slf4j.simpleLogger.log.org.apache=warn" \
  spark/target/pdrecon-spark-cluster.jar batch --manifest "$manifest" --out "$out" --quiet
grep -m1 "Launching executor" "$home/worker.log"
