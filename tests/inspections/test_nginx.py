"""The deployment's nginx site in front of the application: evidence reaches only those the application lets
through (X-Accel-Redirect after the access check), the files' folder is never reachable by its path, oversized
bodies stop at nginx, plain HTTP goes to HTTPS. The site file of deploy/ is used as written, with only the host's
paths and ports replaced."""

import os
import shutil
import socket
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from inspections import services

from ..fault.conftest import free_port
from .test_evidence import photo_with_exif, upload

pytestmark = pytest.mark.django_db(transaction=True)
DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "nginx"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def site_config(tmp_path, *, app_port, http_port, https_port, media_root):
    """deploy/nginx/appraisal.conf with this machine's ports, certificate and folders in place of the server's."""
    replacements = {
        "server unix:/run/appraisal/gunicorn.sock": f"server 127.0.0.1:{app_port}",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen [::]:80;": "",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl;",
        "listen [::]:443 ssl http2;": "",
        "/etc/ssl/appraisal/": f"{tmp_path}/",
        "/etc/nginx/snippets/appraisal-proxy.conf": str(DEPLOY / "appraisal-proxy.conf"),
        "alias /srv/appraisal-media/;": f"alias {media_root}/;",
    }
    site = (DEPLOY / "appraisal.conf").read_text()
    for old, new in replacements.items():
        assert old in site, f"deploy/nginx/appraisal.conf no longer has {old!r}; update this test"
        site = site.replace(old, new)
    temp = tmp_path / "nginx-temp"
    temp.mkdir()
    # started by root (CI), the workers would switch to an account that cannot read the test's private folders
    user = "user root;\n" if os.geteuid() == 0 else ""
    return (
        f"{user}daemon off; pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log;\n"
        "events {}\n"
        f"http {{ access_log off; client_body_temp_path {temp}; proxy_temp_path {temp};\n{site}\n}}\n"
    )


@pytest.fixture
def nginx(live_server, tmp_path, settings):
    if not os.path.exists(NGINX):
        if os.environ.get("E2E_REQUIRED"):
            pytest.fail("nginx not found; install Debian's nginx-light package.")
        pytest.skip("nginx not found")
    settings.PROTECTED_FILES_URL = "/protected/"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"]
        + ["-keyout", str(tmp_path / "privkey.pem"), "-out", str(tmp_path / "fullchain.pem")],
        check=True,
        capture_output=True,
    )
    http_port, https_port = free_port(), free_port()
    app_port = int(live_server.url.rsplit(":", 1)[1])
    config = tmp_path / "nginx.conf"
    config.write_text(
        site_config(
            tmp_path, app_port=app_port, http_port=http_port, https_port=https_port, media_root=settings.MEDIA_ROOT
        )
    )
    process = subprocess.Popen([NGINX, "-c", str(config), "-p", str(tmp_path)], stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 10
        while socket.socket().connect_ex(("127.0.0.1", https_port)) != 0:
            assert process.poll() is None, process.stderr.read().decode()
            assert time.monotonic() < deadline, "nginx did not start"
            time.sleep(0.05)
        yield {"https": f"https://127.0.0.1:{https_port}", "http": f"http://127.0.0.1:{http_port}"}
    finally:
        process.terminate()
        process.wait(10)


def fetch(url, *, cookie=None, data=None):
    """(status, headers, body) without following redirects, trusting the test's self-signed certificate."""
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=context), NoRedirect)
    request = urllib.request.Request(url, data=data, headers={"Cookie": f"sessionid={cookie}"} if cookie else {})
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def session_of(client, user):
    client.force_login(user)
    return client.cookies["sessionid"].value


def test_evidence_passes_nginx_only_after_the_access_check(nginx, client, make_inspection, supervisor_user, liaison_a):
    photo = photo_with_exif()
    evidence = services.evidence_add(inspection=make_inspection(), upload=upload(photo), by=supervisor_user)
    url = f"{nginx['https']}/inspections/evidence/{evidence.pk}/"

    status, headers, body = fetch(url, cookie=session_of(client, supervisor_user))
    assert (status, body) == (200, photo)
    assert headers["Content-Disposition"] == 'attachment; filename="IMG_0001.jpg"'
    assert "X-Accel-Redirect" not in headers

    assert fetch(url, cookie=session_of(client, liaison_a))[0] == 404
    assert fetch(url)[0] == 302  # to the login page
    assert fetch(f"{nginx['https']}/protected/{evidence.file.name}")[0] == 404


def test_oversized_bodies_stop_at_nginx_and_http_goes_to_https(nginx):
    status, _headers, _body = fetch(f"{nginx['https']}/complaints/", data=b"x" * (26 * 1024 * 1024))
    assert status == 413
    status, headers, _body = fetch(f"{nginx['http']}/login/")
    assert status == 301 and headers["Location"].startswith("https://")
