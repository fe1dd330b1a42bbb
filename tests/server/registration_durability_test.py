"""kill -9 during 初回登録: every registration the server acknowledged survives, the store stays intact.

A synthetic store of 2000 persons (10 % not registered) is served from a SQLite file; PIN無し
registrations for the unregistered persons are sent as fast as possible while the server is killed with
SIGKILL at a random moment. After a restart on the same file: SQLite's integrity check passes, every
acknowledged registration is there, and the registrations can be completed.

Run by CTest (server.registration_durability) on the fixtures of tests/integration_support/mynasim_integration.py.
"""
import base64
import http.client
import random
import sqlite3
import threading
import time

import pytest


@pytest.fixture
def store(run_mynasim, tmp_path):
    """A generated SQLite store of 2000 persons."""
    path = tmp_path / "durability.sqlite"
    run_mynasim("server", "gen", "--persons", "2000", "--out", path).check_returncode()
    return path


def unregistered_persons(store):
    """(person id, certificate serial) of every person without a registration."""
    db = sqlite3.connect(store)
    try:
        return [row for row in db.execute(
            "SELECT p.id, c.serial FROM persons p JOIN certificates c ON c.person_id = p.id "
            "WHERE p.id NOT IN (SELECT person_id FROM registrations) ORDER BY p.id")]
    finally:
        db.close()


def certificates_for(run_mynasim, profile_dir, work, persons):
    """Certificates for those serials, issued by the TEST JPKI auth CA (any TEST key will do for PIN無し)."""
    certificates = {}
    profiles = work / "profiles"
    profiles.mkdir()
    profile = profiles / "p.yaml"
    for person, serial in persons:
        profile.write_text(f"extends: {profile_dir / 'valid.yaml'}\nperson: {person}\njpki:\n  auth_certificate:\n"
                           f"    serial: \"0x{serial}\"\n    key: card-09\n")
        run_mynasim("pki", "emit", "--out", work / "pki", profile).check_returncode()
        certificates[person] = base64.b64encode((work / "pki/cards/p/auth.der").read_bytes()).decode()
    return certificates


def test_acknowledged_registrations_survive_kill_9(store, server_factory, run_mynasim, profile_dir, tmp_path):
    unregistered = unregistered_persons(store)
    assert len(unregistered) > 100, len(unregistered)
    certificates = certificates_for(run_mynasim, profile_dir, tmp_path, unregistered)

    def request(person):
        return ("<QualificationConfirmationRequest><Mode>pinless</Mode><Certificate>%s</Certificate>"
                "<FaceResult>matched</FaceResult><InstitutionAuthenticated>1</InstitutionAuthenticated>"
                "</QualificationConfirmationRequest>" % certificates[person]).encode()

    acknowledged = []
    server = server_factory("--data", store)
    stop = threading.Event()

    def register_all():
        connection = server.connection(timeout=5)
        for person, _ in unregistered:
            if stop.is_set():
                return
            try:
                connection.request("POST", "/v2/registrations", body=request(person))
                response = connection.getresponse()
                response.read()
                if response.status == 200:
                    acknowledged.append(person)
            except (OSError, http.client.HTTPException):
                return

    worker = threading.Thread(target=register_all)
    worker.start()
    try:
        time.sleep(random.uniform(0.05, 0.3))
        server.kill()
    finally:
        stop.set()
        worker.join()

    db = sqlite3.connect(store)
    integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
    registered = {row[0] for row in db.execute("SELECT person_id FROM registrations")}
    db.close()
    print("killed after %d acknowledged registrations of %d; integrity %s" % (len(acknowledged), len(unregistered), integrity))
    assert integrity == "ok", "integrity check: " + integrity
    lost = [p for p in acknowledged if p not in registered]
    assert not lost, "acknowledged registrations lost after kill -9: %s" % lost[:5]

    # After a restart on the same file, the rest can be registered.
    server = server_factory("--data", store)
    connection = server.connection(timeout=5)
    for person, _ in unregistered:
        connection.request("POST", "/v2/registrations", body=request(person))
        response = connection.getresponse()
        response.read()
        assert response.status == 200, "registration after restart: %s %s" % (person, response.status)
    server.stop()
    db = sqlite3.connect(store)
    missing = db.execute("SELECT COUNT(*) FROM persons WHERE id NOT IN (SELECT person_id FROM registrations)").fetchone()[0]
    db.close()
    assert not missing, "%d persons still unregistered" % missing
