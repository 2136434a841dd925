# The Picsellia mock (serving + monitoring) in a container:
#   docker build -t picsellia-mock . && docker run --rm -p 8080:8080 picsellia-mock
# Options of `picsellia-mock serve` pass through: `docker run ... picsellia-mock --admin-token T`.
# A config file replaces the demo deployments: mount it and name it with --config FILE or the
# PICSELLIA_MOCK_CONFIG variable. The database is in the /data volume.
# The base is any Debian bookworm (Python comes from Debian's packages): podman, buildah and
# docker build it alike, from `debian:bookworm-slim` or a base made with debootstrap.
ARG BASE=debian:bookworm-slim

FROM ${BASE} AS python
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 python3-venv tini \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /usr/share/doc/* /usr/share/man/*

# The kit's wheel and its dependencies (no test extras) in a virtual environment, without pip.
# Where pip must trust an extra certificate authority, give it as the build secret "ca"
# (`--secret id=ca,src=FILE`): it is mounted for this step only and never stored in the image.
FROM python AS build
COPY . /tmp/src
RUN --mount=type=secret,id=ca \
    if [ -s /run/secrets/ca ]; then export PIP_CERT=/run/secrets/ca; fi \
 && python3 -m venv /opt/picsellia-mock \
 && /opt/picsellia-mock/bin/pip install --no-cache-dir --disable-pip-version-check /tmp/src \
 && /opt/picsellia-mock/bin/pip uninstall -y -q pip setuptools

FROM python
COPY --from=build /opt/picsellia-mock /opt/picsellia-mock
RUN useradd --uid 10001 --no-create-home --home-dir /data --shell /usr/sbin/nologin picsellia \
 && mkdir -p /data && chown picsellia /data
ENV PATH=/opt/picsellia-mock/bin:$PATH PYTHONUNBUFFERED=1
USER picsellia
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8080
# Healthy when the admin API answers its health route (a 401 too: --admin-token guards it);
# it asks port 8080, so keep the default --port.
HEALTHCHECK --interval=5s --timeout=3s --start-period=2s --retries=3 CMD ["python3", "-c", \
  "import urllib.request as u, urllib.error as e\ntry: u.urlopen('http://127.0.0.1:8080/__admin/health', timeout=2)\nexcept e.HTTPError as x: raise SystemExit(x.code != 401)"]
# tini as PID 1 passes SIGTERM on: serve stops at once, even while it is still starting.
ENTRYPOINT ["tini", "--", "picsellia-mock", "serve", "--host", "0.0.0.0", "--port", "8080", "--db", "/data/picsellia-mock.sqlite3"]
