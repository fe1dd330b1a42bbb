#!/usr/bin/python3
"""kill -9 during 初回登録: every registration the server acknowledged survives, the store stays intact.

A synthetic store of 2000 persons (10 % not registered) is served from a SQLite file; PIN無し
registrations for the unregistered persons are sent as fast as possible while the server is killed with
SIGKILL at a random moment. After a restart on the same file: SQLite's integrity check passes, every
acknowledged registration is there, and the registrations can be completed.

Usage: registration_durability_test.py MYNASIM SOURCE_DIR WORK_DIR
"""
import base64
import http.client
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time

MYNASIM, SOURCE, WORK = sys.argv[1:4]
os.makedirs(WORK, exist_ok=True)
store = os.path.join(WORK, "durability.sqlite")
for suffix in ("", "-wal", "-shm"):
    if os.path.exists(store + suffix):
        os.remove(store + suffix)
subprocess.run([MYNASIM, "server", "gen", "--persons", "2000", "--out", store], check=True, capture_output=True)

db = sqlite3.connect(store)
unregistered = [row for row in db.execute(
    "SELECT p.id, c.serial FROM persons p JOIN certificates c ON c.person_id = p.id "
    "WHERE p.id NOT IN (SELECT person_id FROM registrations) ORDER BY p.id")]
db.close()
assert len(unregistered) > 100, len(unregistered)

# Certificates for those serials, issued by the TEST JPKI auth CA (any TEST key will do for PIN無し).
certificates = {}
profile_dir = os.path.join(WORK, "profiles")
os.makedirs(profile_dir, exist_ok=True)
base = os.path.join(SOURCE, "card-profiles", "valid.yaml")
for person, serial in unregistered:
    with open(os.path.join(profile_dir, "p.yaml"), "w") as f:
        f.write(f"extends: {base}\nperson: {person}\njpki:\n  auth_certificate:\n    serial: \"0x{serial}\"\n    key: card-09\n")
    out = subprocess.run([MYNASIM, "pki", "emit", "--out", os.path.join(WORK, "pki"), os.path.join(profile_dir, "p.yaml")],
                         check=True, capture_output=True)
    with open(os.path.join(WORK, "pki", "cards", "p", "auth.der"), "rb") as f:
        certificates[person] = base64.b64encode(f.read()).decode()


def start():
    process = subprocess.Popen([MYNASIM, "server", "run", "--data", store, "--listen", "127.0.0.1:0"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    line = process.stdout.readline()
    assert "listening on" in line, line
    return process, int(line.split("127.0.0.1:")[1].split()[0])


def request(person):
    return ("<QualificationConfirmationRequest><Mode>pinless</Mode><Certificate>%s</Certificate>"
            "<FaceResult>matched</FaceResult><InstitutionAuthenticated>1</InstitutionAuthenticated>"
            "</QualificationConfirmationRequest>" % certificates[person]).encode()


acknowledged = []
process, port = start()
stop = threading.Event()


def register_all():
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    for person, _ in unregistered:
        if stop.is_set():
            return
        try:
            connection.request("POST", "/v1/registrations", body=request(person))
            response = connection.getresponse()
            response.read()
            if response.status == 200:
                acknowledged.append(person)
        except (OSError, http.client.HTTPException):
            return


worker = threading.Thread(target=register_all)
worker.start()
time.sleep(random.uniform(0.05, 0.3))
process.send_signal(signal.SIGKILL)
process.wait()
stop.set()
worker.join()

db = sqlite3.connect(store)
integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
registered = {row[0] for row in db.execute("SELECT person_id FROM registrations")}
db.close()
failures = []
if integrity != "ok":
    failures.append("integrity check: " + integrity)
lost = [p for p in acknowledged if p not in registered]
if lost:
    failures.append("acknowledged registrations lost after kill -9: %s" % lost[:5])

# After a restart on the same file, the rest can be registered.
process, port = start()
connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
for person, _ in unregistered:
    connection.request("POST", "/v1/registrations", body=request(person))
    response = connection.getresponse()
    response.read()
    if response.status != 200:
        failures.append("registration after restart: %s %s" % (person, response.status))
        break
process.send_signal(signal.SIGTERM)
process.wait(timeout=10)
db = sqlite3.connect(store)
missing = db.execute("SELECT COUNT(*) FROM persons WHERE id NOT IN (SELECT person_id FROM registrations)").fetchone()[0]
db.close()
if missing:
    failures.append("%d persons still unregistered" % missing)

print("killed after %d acknowledged registrations of %d; integrity %s" % (len(acknowledged), len(unregistered), integrity))
print("%d passed, %d failed" % (4 - len(failures), len(failures)))
sys.exit(1 if failures else 0)
