# Reads or writes lxc-backup's owner marker on a duplicity target, through duplicity's own
# backend classes, so every scheme duplicity supports (s3, sftp, b2, ...) takes one code path.
# Run by the agent with the environment duplicity gets (credentials in AWS_*, FTP_PASSWORD).
#   marker-io.py get URL OPTIONS_JSON           -> stdout: {"marker": TEXT|null, "other_files": N}
#   marker-io.py put URL OPTIONS_JSON LOCALFILE -> uploads LOCALFILE as the marker
#   marker-io.py list URL OPTIONS_JSON           -> stdout: JSON array of the target's file names
#   marker-io.py delete URL OPTIONS_JSON NAMES   -> deletes the listed names (JSON array) that exist;
#                                                   stdout: JSON array of those still there after
# OPTIONS_JSON: {"s3_endpoint_url", "s3_region_name", "ssh_options", "num_retries"} (no secrets).
# Works with duplicity 0.8.x and 3.x: only get_backend, put, get, list and delete are used.
import json
import os
import sys
import tempfile

MARKER = b"lxc-backup-owner.json"
LIMIT = 64 * 1024


def fail(message, code=2):
    sys.stderr.write("marker-io: %s\n" % message)
    sys.exit(code)


def backend_for(url, options):
    import duplicity  # noqa: F401  (installs gettext's _ that the backends use)
    from duplicity import backend, log, path

    try:
        from duplicity import config
    except ImportError:  # duplicity < 0.8.11 called it globals
        from duplicity import globals as config
    for key in ("s3_endpoint_url", "s3_region_name", "ssh_options", "num_retries"):
        if options.get(key) is not None:
            setattr(config, key, options[key])
    config.backend_retry_delay = 1
    log.setup()
    log.setverbosity(log.ERROR)
    backend.import_backends()
    wrapper = backend.get_backend(url)
    if wrapper is None:
        fail("not a backend URL")
    return wrapper, path


def get(url, options):
    wrapper, path = backend_for(url, options)
    names = [n if isinstance(n, bytes) else n.encode() for n in wrapper.list()]
    others = len([n for n in names if n != MARKER])
    text = None
    if MARKER in names:
        tmp = tempfile.mkdtemp(prefix="marker-io-")
        local = os.path.join(tmp, "marker")
        try:
            wrapper.get(MARKER, path.Path(local))
            if os.path.getsize(local) > LIMIT:
                fail("the marker is larger than %d bytes" % LIMIT)
            with open(local, "rb") as handle:
                text = handle.read(LIMIT).decode("utf-8", "replace")
        finally:
            if os.path.exists(local):
                os.unlink(local)
            os.rmdir(tmp)
    sys.stdout.write(json.dumps({"marker": text, "other_files": others}))


def put(url, options, local):
    wrapper, path = backend_for(url, options)
    wrapper.put(path.Path(local), MARKER)


def text_of(name):
    return name.decode("utf-8", "surrogateescape") if isinstance(name, bytes) else name


def list_names(url, options):
    wrapper, _ = backend_for(url, options)
    sys.stdout.write(json.dumps([text_of(n) for n in wrapper.list()]))


def delete(url, options, names_json):
    wrapper, _ = backend_for(url, options)
    wanted = set(json.loads(names_json))
    # The names exactly as list() gives them (bytes in 0.8, str in 3.x), so delete() gets its own type.
    present = [n for n in wrapper.list() if text_of(n) in wanted]
    if present:
        # delete() logs and swallows a failed delete (retry fatal=False): listing again tells.
        wrapper.delete(present)
    left = [text_of(n) for n in wrapper.list() if text_of(n) in wanted]
    sys.stdout.write(json.dumps(left))


def main(argv):
    counts = {"get": 3, "put": 4, "list": 3, "delete": 4}
    if len(argv) < 1 or counts.get(argv[0]) != len(argv):
        fail("usage: marker-io.py get|put|list|delete URL OPTIONS_JSON [LOCALFILE|NAMES_JSON]")
    options = json.loads(argv[2])
    if argv[0] == "get":
        get(argv[1], options)
    elif argv[0] == "put":
        put(argv[1], options, argv[3])
    elif argv[0] == "list":
        list_names(argv[1], options)
    else:
        delete(argv[1], options, argv[3])


if __name__ == "__main__":
    main(sys.argv[1:])
