#!/bin/sh
# PostgreSQL's archive_command on the local stack (installed beside the cluster by
# `backup.sh configure`): hands a finished WAL segment to pgBackRest once
# `backup.sh init` has set backups up. Before that no backup exists that the
# segment could serve, so it is let go. Runs as the cluster's user, with no
# environment of ours: everything it needs sits beside it. (Its name holds
# "pgbackrest": pgBackRest checks that archive_command calls it.)
here=$(dirname "$0")
[ -f "$here/backups-enabled" ] || exit 0
exec pgbackrest --config="$here/pgbackrest.conf" --stanza=kk archive-push "$1"
