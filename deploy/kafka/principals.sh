#!/bin/sh
# One Kafka principal per service (SASL/SCRAM-SHA-512) and the ACLs of the
# topic table (DESIGN.md section 2): each service reads what it consumes (with
# its consumer group), writes what it publishes, kk.deadletter, and back to the
# topics it consumes (`kk-admin deadletter retry`); kk-admin creates the topics
# and writes every topic (`kk-admin replay`). Nobody else may do anything: the
# broker runs with allow.everyone.if.no.acl.found=false.
#
# Run by compose's one-shot `kafka-principals` (the apache/kafka image), in the
# broker's network namespace: it speaks to the loopback-only INTERNAL listener,
# where it is the super user. Each password comes from the secret file
# /run/secrets/kafka_<service>. Idempotent: safe on every `up`.
#
# deploy/validate/validate_deploy.py checks the table below against the
# services' code (what each consumes and publishes) and deploy/k8s/kafka-users.yaml.
set -euf  # -f: no globbing, the ACL table has a "*"
BIN=/opt/kafka/bin
SERVER=127.0.0.1:9094
P=${KK_TOPIC_PREFIX:-}

while read -r principal; do
  [ -n "$principal" ] || continue
  file="/run/secrets/kafka_${principal#kk-}"
  password=$(tr -d '\r\n' < "$file")
  case "$password" in GANTI-*) echo "kafka-principals: $file still holds the placeholder; replace it (deploy/secrets/README.md)" >&2; exit 1 ;; esac
  "$BIN/kafka-configs.sh" --bootstrap-server "$SERVER" --alter --entity-type users --entity-name "$principal" \
    --add-config "SCRAM-SHA-512=[iterations=8192,password=$password]" >/dev/null
done <<PRINCIPALS
kk-gateway
kk-intake
kk-entry
kk-verify
kk-sign
kk-deliver
kk-archive
kk-admin
PRINCIPALS

# principal   operation  resource  name
grep -v '^#' <<ACLS | while read -r principal operation resource name; do
kk-gateway    Read       group     kk-gateway
kk-gateway    Read       topic     wa.outbound
kk-gateway    Write      topic     wa.outbound
kk-gateway    Write      topic     wa.inbound
kk-gateway    Write      topic     wa.status
kk-gateway    Write      topic     kk.deadletter
kk-intake     Read       group     kk-intake
kk-intake     Read       topic     wa.inbound
kk-intake     Read       topic     kk.requests.returned
kk-intake     Read       topic     kk.drafts.submitted
kk-intake     Read       topic     kk.drafts.verified
kk-intake     Read       topic     kk.documents.signed
kk-intake     Read       topic     kk.documents.archived
kk-intake     Write      topic     wa.inbound
kk-intake     Write      topic     kk.requests.returned
kk-intake     Write      topic     kk.drafts.submitted
kk-intake     Write      topic     kk.drafts.verified
kk-intake     Write      topic     kk.documents.signed
kk-intake     Write      topic     kk.documents.archived
kk-intake     Write      topic     kk.requests.accepted
kk-intake     Write      topic     wa.outbound
kk-intake     Write      topic     kk.deadletter
kk-entry      Read       group     kk-entry
kk-entry      Read       topic     kk.requests.accepted
kk-entry      Write      topic     kk.requests.accepted
kk-entry      Write      topic     kk.drafts.submitted
kk-entry      Write      topic     kk.requests.returned
kk-entry      Write      topic     kk.deadletter
kk-verify     Read       group     kk-verify
kk-verify     Read       topic     kk.drafts.submitted
kk-verify     Write      topic     kk.drafts.submitted
kk-verify     Write      topic     kk.drafts.verified
kk-verify     Write      topic     kk.requests.returned
kk-verify     Write      topic     kk.deadletter
kk-sign       Read       group     kk-sign
kk-sign       Read       topic     kk.drafts.verified
kk-sign       Write      topic     kk.drafts.verified
kk-sign       Write      topic     kk.documents.signed
kk-sign       Write      topic     kk.deadletter
kk-deliver    Read       group     kk-deliver
kk-deliver    Read       topic     kk.documents.signed
kk-deliver    Read       topic     wa.status
kk-deliver    Write      topic     kk.documents.signed
kk-deliver    Write      topic     wa.status
kk-deliver    Write      topic     kk.documents.delivered
kk-deliver    Write      topic     wa.outbound
kk-deliver    Write      topic     kk.deadletter
kk-archive    Read       group     kk-archive
kk-archive    Read       topic     kk.documents.delivered
kk-archive    Write      topic     kk.documents.delivered
kk-archive    Write      topic     kk.documents.archived
kk-archive    Write      topic     kk.deadletter
kk-admin      Create     cluster   kafka-cluster
kk-admin      Describe   cluster   kafka-cluster
kk-admin      Describe   topic     *
kk-admin      Write      topic     *
ACLS
  case "$resource" in
    group)   target="--group $P$name" ;;
    topic)   if [ "$name" = "*" ]; then target="--topic *"; else target="--topic $P$name"; fi ;;
    cluster) target="--cluster" ;;
  esac
  # shellcheck disable=SC2086
  "$BIN/kafka-acls.sh" --bootstrap-server "$SERVER" --add --allow-principal "User:$principal" --operation "$operation" $target >/dev/null
done
echo "kafka-principals: 8 principals and their ACLs are in place."
