#!/usr/bin/env bash
# `make demo`: the whole SOP on the local stack. Starts the Graph API sandbox
# (standing in for Meta, and for the applicants' phones' delivery receipts),
# the gateway and the six services, then walks three requests through all ten
# steps: a birth added to a family (first returned "Belum Lengkap"), a lost KK
# (no data entry), and a damaged KK (first rejected "Belum Valid"); then an
# applicant writing on a holiday is told when the office resumes. Applicants
# speak through the gateway's webhook (`kk-dev simulate`); every officer
# step is the real officer CLI, signed in with the right role.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
eval "$(bash "$KK_ROOT/deploy/local/stack.sh" env)"
BIN="$KK_ROOT/.build/debug"
DEMO="$KK_RUN/demo"
LOGS="$KK_RUN/logs"
PIDS="$KK_RUN/pids"
mkdir -p "$DEMO" "$LOGS" "$PIDS"

export KK_WA_GRAPH_URL=http://127.0.0.1:8090 KK_WA_PHONE_NUMBER_ID=1234567890 KK_WA_TOKEN=demo-graph-token \
  KK_WA_APP_SECRET=demo-app-secret KK_WA_VERIFY_TOKEN=demo-verify KK_LOG_FORMAT=text KK_LOG_LEVEL=warning \
  KK_DELIVERY_CONFIRM_SECONDS=60 KK_DELIVERY_POLL_MS=500 KK_ARCHIVE_POLL_MS=500 KK_ARCHIVE_RETRY_SECONDS=5 \
  KK_ARCHIVE_TARGETS="server=$DEMO/arsip/server,hdd=$DEMO/arsip/hdd,flash=$DEMO/arsip/flash"

say() { printf '\n\033[1;34m== %s\033[0m\n' "$*"; }
actor() { printf '\033[1;32m[%s]\033[0m %s\n' "$1" "$2"; }

# --- set-up: schema, topics, the first administrator, signing keys ------------
say "Menyiapkan: skema basis data, topik Kafka, admin pertama, kunci TTE"
"$BIN/kk-admin" migrate
# A cluster kept from an earlier clone in this folder may hold applicants with ids under a key
# that is gone: the operator's step for a new key moves them (and otherwise changes nothing).
"$BIN/kk-admin" rekey-applicants
"$BIN/kk-admin" topics create >/dev/null
echo "kata-sandi-demo" > "$DEMO/password"
chmod 600 "$DEMO/password"
# The operator (holding the database owner's credential) makes the first
# administrator once; everything else an administrator does through kk-admin serve.
if [ -z "$(psql "$KK_DATABASE_URL" -Atq -c "SELECT 1 FROM officers WHERE role = 'admin' LIMIT 1")" ]; then
  "$BIN/kk-admin" bootstrap-admin rina --name "Rina Marlina, S.Kom." --nip 198601012010012011 --password-file "$DEMO/password"
fi
echo "frasa sandi kunci demo" > "$DEMO/key-passphrase"
chmod 600 "$DEMO/key-passphrase"
if [ ! -f "$DEMO/keys/signer.pem" ]; then
  "$BIN/kk-dev" keygen --out "$DEMO/keys" --name "Dr. Hj. Sri Wahyuni, M.Si." --nip 197005121995032004 \
    --passphrase-file "$DEMO/key-passphrase" >/dev/null
fi
# kk-sign (the service) knows only the CA a signature must chain to; the key,
# its certificate and passphrase are read by the Kepala Dinas' CLI alone.
export KK_SIGN_CA="$DEMO/keys/ca.pem"
SIGNER_ENV=(KK_SIGN_CERT="$DEMO/keys/signer.pem" KK_SIGN_KEY="$DEMO/keys/signer-key.pem" KK_SIGN_KEY_PASSPHRASE_FILE="$DEMO/key-passphrase")

# --- the daemons ---------------------------------------------------------------
# The office calendar: the built-in sample as the office's own file (see the README, "Office hours").
"$BIN/kk-admin" office-calendar --sample > "$DEMO/kalender-kerja.json"
export KK_OFFICE_CALENDAR_FILE="$DEMO/kalender-kerja.json"
start() {
  local name=$1 port=$2; shift 2
  if [ -f "$PIDS/$name.pid" ] && kill -0 "$(cat "$PIDS/$name.pid")" 2>/dev/null; then return; fi
  # Each service connects as its own database role (same password locally).
  KK_DATABASE_USER="${name//-/_}" KK_HTTP_PORT=$port nohup "$@" >>"$LOGS/$name.log" 2>&1 &
  echo $! > "$PIDS/$name.pid"
}
ready() {
  local name=$1 url=$2
  for _ in $(seq 1 150); do
    curl -fs "$url" >/dev/null 2>&1 && return
    kill -0 "$(cat "$PIDS/$name.pid")" 2>/dev/null || kk_die "$name exited at start; see $LOGS/$name.log"
    sleep 0.2
  done
  kk_die "$name was not ready within 30 s; see $LOGS/$name.log"
}
say "Menjalankan sandbox Graph API, gateway WhatsApp, enam layanan dan API admin"
start graph-sandbox 0 "$BIN/kk-dev" sandbox --port 8090 --receipts-to http://127.0.0.1:8080/webhook
start kk-gateway 9100 "$BIN/kk-gateway" serve
start kk-intake 9101 "$BIN/kk-intake" serve
start kk-entry 9102 "$BIN/kk-entry" serve
start kk-verify 9103 "$BIN/kk-verify" serve
start kk-sign 9104 "$BIN/kk-sign" serve
start kk-deliver 9105 "$BIN/kk-deliver" serve
start kk-archive 9106 "$BIN/kk-archive" serve
start kk-admin 9107 "$BIN/kk-admin" serve
ready graph-sandbox http://127.0.0.1:8090/_sandbox/messages
for service in kk-gateway:9100 kk-intake:9101 kk-entry:9102 kk-verify:9103 kk-sign:9104 kk-deliver:9105 kk-archive:9106 kk-admin:9107; do
  ready "${service%%:*}" "http://127.0.0.1:${service##*:}/health/ready"
done
echo "Semua layanan siap (health: http://127.0.0.1:9100-9107/health/ready, metrik: /metrics)."

# --- helpers -------------------------------------------------------------------
sql() { psql "$KK_DATABASE_URL" -Atq -c "$1"; }
photo() { local f="$DEMO/foto-$1.jpg"; { printf '\xff\xd8\xff\xe0'; head -c 40000 /dev/urandom; } > "$f"; echo "$f"; }
applicant() {
  local phone=$1; shift
  actor "Pemohon $phone" "mengirim lewat WhatsApp: $*"
  "$BIN/kk-dev" simulate --from "$phone" --wait 3 "$@" | sed 's/^/    /'
}
# Runs an officer CLI as $who. Every officer CLI is a client of its service's
# officer API: it gets no database or broker address at all, signs in with the
# officer's password, and only kk-sign's (the Kepala Dinas') gets her key.
as_officer() {
  local who=$1 tool=$2; shift 2
  local signer=()
  [ "$tool" = kk-sign ] && signer=("${SIGNER_ENV[@]}")
  env -u KK_DATABASE_URL -u KK_KAFKA_BROKERS KK_OFFICER="$who" KK_OFFICER_PASSWORD_FILE="$DEMO/password" "${signer[@]}" "$BIN/$tool" "$@"
}
officer() {
  local who=$1 tool=$2; shift 2
  actor "$who" "$tool $*"
  as_officer "$who" "$tool" "$@" | sed 's/^/    /'
}
ref_of() {
  python3 -c 'import hmac,hashlib,sys; print("wa-" + hmac.new(open(sys.argv[1],"rb").read().strip(), sys.argv[2].encode(), hashlib.sha256).hexdigest()[:16])' "$KK_PSEUDONYM_KEY_FILE" "$1"
}
number_of() {
  sql "SELECT number FROM requests WHERE applicant_ref = '$(ref_of "$1")' ORDER BY created_at DESC LIMIT 1"
}
# Waits until the closing message asked the applicant for a score of the service.
wait_rating() {
  for _ in $(seq 1 300); do
    [ "$(sql "SELECT stage FROM intake_conversations WHERE applicant_ref = '$(ref_of "$1")'")" = rating ] && return
    sleep 0.2
  done
  kk_die "the closing message never asked $1 for a score; see $LOGS/kk-intake.log"
}
wait_queue() {
  local who=$1 tool=$2 number=$3
  for _ in $(seq 1 150); do
    as_officer "$who" "$tool" queue 2>/dev/null | grep -q "$number" && return
    sleep 0.2
  done
  kk_die "$number did not reach the $tool queue; see $LOGS"
}
wait_state() {
  local number=$1 state=$2
  for _ in $(seq 1 300); do
    [ "$(sql "SELECT state FROM requests WHERE number = '$number'")" = "$state" ] && return
    sleep 0.2
  done
  kk_die "$number did not reach state $state; see $LOGS"
}
# The n-th family (from 0) no earlier demo run has touched (the register keeps every run's changes).
family() { sql "SELECT kk_number FROM families f WHERE current_version = 1 AND NOT EXISTS (SELECT 1 FROM family_drafts d WHERE d.kk_number = f.kk_number) ORDER BY kk_number OFFSET ${1:-0} LIMIT 1"; }
member() { sql "SELECT m->>'$2' FROM family_versions v JOIN families f ON f.kk_number = v.kk_number AND f.current_version = v.version, jsonb_array_elements(v.record->'anggota') m WHERE v.kk_number = '$1' AND m->>'status_hubungan' = '$3' LIMIT 1"; }

# --- the administrators: the register and the officers ------------------------
say "Admin (kk-admin, masuk seperti petugas): register keluarga contoh dan petugas SOP"
officer rina kk-dev register-seed --families 200
add_officer() {
  if [ -n "$(sql "SELECT 1 FROM officers WHERE username = '$1'")" ]; then echo "    Petugas $1 sudah terdaftar."; return; fi
  officer "${5:-rina}" kk-admin officer add "$1" --name "$2" --nip "$3" --role "$4" --password-file "$DEMO/password"
}
pending_change() { sql "SELECT id FROM officer_changes WHERE username = '$1' AND decision IS NULL ORDER BY id DESC LIMIT 1"; }
add_officer siti "Siti Rahayu" 198507122010012001 petugas_layanan
add_officer bambang "Bambang Suryanto, S.Sos." 197803152005011002 kasi_kabid
add_officer joko "Joko Santoso" 198804042012011005 petugas_cetak
# A second administrator: asked for by rina; with a single administrator the operator approves, once.
add_officer dodi "Dodi Hermawan" 198702022011011002 admin
if [ -n "$(pending_change dodi)" ]; then
  actor operator "kk-admin bootstrap-admin --approve-second-admin $(pending_change dodi)"
  "$BIN/kk-admin" bootstrap-admin --approve-second-admin "$(pending_change dodi)" | sed 's/^/    /'
fi
# The Kepala Dinas' role needs two administrators: rina asks, dodi approves.
add_officer wahyuni "Dr. Hj. Sri Wahyuni, M.Si." 197005121995032004 kepala_dinas
if [ -n "$(pending_change wahyuni)" ]; then officer dodi kk-admin officer approve "$(pending_change wahyuni)"; fi

# The three applicants' families, chosen before anyone writes: each applicant gives their own NIK.
KK1=$(family 0); KK2=$(family 1); KK3=$(family 2); KK4=$(family 3)

# --- request 1: a birth added to a family; first "Belum Lengkap" ----------------
say "Permohonan 1: perubahan data (kelahiran), dikembalikan Belum Lengkap lalu dilengkapi"
# The first message gets the privacy notice; nothing but the number is kept until "setuju".
# The applicant names the event in one sentence and gets the birth's own document list, then says who is asking.
P1=6281234567001
applicant $P1 --text "halo" --text "setuju" --text "Selamat pagi, anak saya baru lahir, mau dimasukkan ke KK" \
  --text "NIK $(member "$KK1" nik "KEPALA KELUARGA") KK $KK1" --photo "$(photo 1a)" --photo "$(photo 1b)"
R1=$(number_of $P1)
wait_state "$R1" diajukan
officer siti kk-intake queue
officer siti kk-intake return "$R1" --missing surat_pernyataan --reason "Tanda tangan pada formulir F-1.02 tidak terbaca; mohon difoto ulang."
sleep 2
applicant $P1 --photo "$(photo 1c)"
wait_state "$R1" diajukan
officer siti kk-intake open "$R1"
officer siti kk-intake reply "$R1" "Permohonan Anda sudah kami buka; data kelahiran akan dientri hari ini."
officer siti kk-intake chat "$R1" --jumlah 6
wait_queue siti kk-entry "$R1"
HEAD1=$(member "$KK1" nama_lengkap "KEPALA KELUARGA")
WIFE1=$(member "$KK1" nama_lengkap "ISTRI")
RELIGION1=$(member "$KK1" agama "KEPALA KELUARGA")
BORN=$(date +%Y-%m-%d)
BABY_NIK="${KK1:0:6}$(printf '%02d' $((10#$(date +%d) + 40)))$(date +%m%y)$((5000 + 10#${R1: -4} % 5000))"
officer siti kk-entry queue
# The applicant was verified as a member of KK1: the officer takes the request for that family.
officer siti kk-entry take "$R1"
officer siti kk-entry enter "$R1" --add kelahiran --set "nama_lengkap=NAYLA PUTRI ${HEAD1##* }" --set "nik=$BABY_NIK" \
  --set jenis_kelamin=P --set tempat_lahir=BANTUL --set "tanggal_lahir=$BORN" --set "agama=$RELIGION1" \
  --set golongan_darah=O --set "nama_ayah=$HEAD1" --set "nama_ibu=$WIFE1"
officer siti kk-entry submit "$R1"
wait_queue bambang kk-verify "$R1"
officer bambang kk-verify queue
officer bambang kk-verify show "$R1" | sed -n '1,22p'
officer bambang kk-verify approve "$R1"
wait_queue wahyuni kk-sign "$R1"
officer wahyuni kk-sign preview "$R1" --out "$DEMO/pratinjau-$R1.pdf"
officer wahyuni kk-sign sign "$R1"

# --- request 2: a lost KK, no data entry ---------------------------------------
say "Permohonan 2: KK hilang (dengan surat kehilangan dari kepolisian, tanpa entri data)"
P2=6281234567002
# A lost KK: the applicant does not know the number; the NIK alone finds the family.
applicant $P2 --text "halo" --text "setuju" --text "2" --text "NIK $(member "$KK2" nik "KEPALA KELUARGA")" --photo "$(photo 2a)" --photo "$(photo 2b)"
R2=$(number_of $P2)
wait_state "$R2" diajukan
officer siti kk-intake open "$R2"
wait_queue siti kk-entry "$R2"
officer siti kk-entry take "$R2"
officer siti kk-entry submit "$R2"
wait_queue bambang kk-verify "$R2"
officer bambang kk-verify approve "$R2"

# --- request 3: a damaged KK; first "Belum Valid" -------------------------------
say "Permohonan 3: KK rusak, ditolak Belum Valid lalu diperbaiki"
P3=6281234567003
# A typo in the KK number (another family's): not refused, the service officer checks it.
applicant $P3 --text "halo" --text "setuju" --text "3" --text "NIK $(member "$KK3" nik "KEPALA KELUARGA") KK $KK4" \
  --photo "$(photo 3a)" --photo "$(photo 3b)"
R3=$(number_of $P3)
wait_state "$R3" diajukan
officer siti kk-intake show "$R3" | grep -E "Permohonan|Identitas"
officer siti kk-intake open "$R3" || true
officer siti kk-intake open "$R3" --identitas-sesuai "KTP-el pemohon dan foto KK lama cocok; nomor KK pada pesan salah ketik" --kk "$KK3"
wait_queue siti kk-entry "$R3"
officer siti kk-entry take "$R3"
officer siti kk-entry submit "$R3"
wait_queue bambang kk-verify "$R3"
officer bambang kk-verify reject "$R3" --reason "Nama ibu kepala keluarga pada KK lama berbeda dengan akta kelahiran; kirim surat pernyataan yang menyebut nama yang benar."
sleep 2
applicant $P3 --photo "$(photo 3c)"
wait_state "$R3" diajukan
officer siti kk-intake open "$R3"
wait_queue siti kk-entry "$R3"
officer siti kk-entry take "$R3"
officer siti kk-entry enter "$R3" --member "$(member "$KK3" nik "KEPALA KELUARGA")" --set "nama_ibu=SITI KHOTIMAH"
officer siti kk-entry submit "$R3"
wait_queue bambang kk-verify "$R3"
officer bambang kk-verify approve "$R3"

# --- signing the rest as a batch, delivery and archive --------------------------
wait_queue wahyuni kk-sign "$R2"
wait_queue wahyuni kk-sign "$R3"
say "Kepala Dinas menandatangani sisa antrean sekaligus"
officer wahyuni kk-sign sign --all
say "Pengiriman PDF lewat WhatsApp (SOP 8-9) dan arsip berlapis (SOP 10)"
for R in "$R1" "$R2" "$R3"; do wait_state "$R" diarsipkan; done
echo "Pesan terakhir yang diterima pemohon 1:"
curl -s http://127.0.0.1:8090/_sandbox/messages | python3 -c '
import json,sys
for m in json.load(sys.stdin):
    if m.get("to") == "6281234567001" and m.get("type") in ("document", "text"):
        last = m
        if m["type"] == "document": print("    [dokumen] " + m["document"].get("filename", ""))
print("    " + last["text"]["body"].replace("\n", "\n    "))'
officer joko kk-archive status

say "Permohonan selesai: pemohon memberi nilai layanan (Survei Kepuasan Masyarakat)"
wait_rating 6281234567001
applicant 6281234567001 --text 5
officer rina kk-admin skm

# --- the end: timelines and the signed PDFs ------------------------------------
say "Riwayat setiap permohonan dibanding standar waktu SOP"
for R in "$R1" "$R2" "$R3"; do
  echo
  as_officer rina kk-admin request show "$R" | sed 's/^/  /'
done
say "KK bertanda tangan elektronik"
for R in "$R1" "$R2" "$R3"; do
  as_officer joko kk-deliver download "$R" --out "$DEMO/$R.pdf" >/dev/null
  printf '  %s  pdfsig: %s\n' "$DEMO/$R.pdf" "$(pdfsig "$DEMO/$R.pdf" 2>/dev/null | grep 'Signature Validation' | sed 's/^ *- Signature Validation: //')"
done

say "Verifikasi publik: kode QR pada KK $R1 dibuka seperti kamera ponsel membukanya"
pdftoppm -r 150 -png -singlefile "$DEMO/$R1.pdf" "$DEMO/$R1-qr"
QR_URL=$(zbarimg -q --raw "$DEMO/$R1-qr.png" 2>/dev/null | grep '^http' | head -1)
echo "  $QR_URL"
curl -s "$QR_URL" | python3 -c '
import html, re, sys
page = sys.stdin.read()
print("  " + html.unescape(re.search(r"class=\"verdict\">(.*?)<", page).group(1)))
for name, value in re.findall(r"<tr><th>(.*?)</th><td>(.*?)</td></tr>", page):
    print("    %-26s %s" % (html.unescape(name), html.unescape(value)))'

say "Jam layanan: pemohon yang menulis di luar jam kerja diberi tahu kapan kantor buka lagi"
officer rina kk-admin office-calendar | sed -n '1,3p;$p'
# The services read the office calendar file again when it changes: today becomes a holiday, as on a cuti bersama day.
cp "$DEMO/kalender-kerja.json" "$DEMO/kalender-kerja.asli.json"
cat > "$DEMO/kalender-kerja.json" <<JSON
{"hours": {"monday": "08:00-15:30", "tuesday": "08:00-15:30", "wednesday": "08:00-15:30", "thursday": "08:00-15:30", "friday": "08:00-14:30"},
 "holidays": [{"date": "$(TZ=Asia/Jakarta date +%Y-%m-%d)", "name": "Cuti bersama (demo)", "cuti_bersama": true}]}
JSON
actor "Pemohon 6281234567004" "mengirim lewat WhatsApp pada hari libur: halo"
"$BIN/kk-dev" simulate --from 6281234567004 --wait 30 --text "halo" --text "setuju" | tee "$DEMO/libur.txt" | sed 's/^/    /'
mv "$DEMO/kalender-kerja.asli.json" "$DEMO/kalender-kerja.json"
grep -q "di luar jam layanan kantor" "$DEMO/libur.txt" || kk_die "the applicant writing on a holiday was not told the office hours; see $LOGS/kk-intake.log"

cat <<EOF

Selesai. Tumpukan lokal tetap berjalan (make status). Mencoba sendiri:
  eval "\$(bash deploy/local/stack.sh env)"; export KK_OFFICER=siti KK_OFFICER_PASSWORD_FILE=$DEMO/password
  .build/debug/kk-dev simulate --from 6281234567009          # jadi pemohon: ketik "halo"
  .build/debug/kk-intake queue                                    # petugas layanan (lalu kk-entry, kk-verify ...)
Kata sandi semua petugas demo ada di $DEMO/password; log di $LOGS.
Berhenti: make down
EOF
