#!/bin/bash
# Writes server.properties from the KAFKA_* variables, formats the log directory on first
# start (KRaft), then runs the broker in the foreground.
set -euo pipefail
config=/opt/kafka/config/server.properties
: >"${config}"
echo "log.dirs=/var/lib/kafka/data" >>"${config}"
while IFS='=' read -r name value; do
    case "${name}" in
        KAFKA_HEAP_OPTS | KAFKA_CLUSTER_ID) continue ;;
        KAFKA_*)
            key="${name#KAFKA_}"
            key="${key,,}"
            echo "${key//_/.}=${value}" >>"${config}"
            ;;
    esac
done < <(env)
classpath="/opt/kafka/libs/*"
log4j="-Dlog4j.configuration=file:/opt/kafka/config/log4j.properties"
rm -f /tmp/kafka-server.log
if [[ ! -f /var/lib/kafka/data/meta.properties ]]; then
    # shellcheck disable=SC2086
    java ${KAFKA_HEAP_OPTS} "${log4j}" -cp "${classpath}" kafka.tools.StorageTool format \
        -t "${KAFKA_CLUSTER_ID:-Y2FubGlhbi1rYWZrYS0xMQ}" -c "${config}"
fi
# shellcheck disable=SC2086
exec java ${KAFKA_HEAP_OPTS} -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
    "${log4j}" -cp "${classpath}" kafka.Kafka "${config}"
