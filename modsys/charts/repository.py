"""Downloading a chart archive from where its ref points: a Helm repository or an OCI registry.

An `https://` repository is read the way Helm reads it: `index.yaml`, the entry for the
version, its first URL (relative URLs are relative to the repository), and the entry's
`digest`, which the download must match. Each repository's index is read once per process.
OCI charts are pulled by Helm itself (`helm_python.pull`), which speaks the registry protocol.

Failures to reach anything raise `ChartUnavailable` (the caller may fall back); a repository
that answers but lacks the chart or version raises `ChartNotFound`, listing what it has.
"""

from __future__ import annotations

import tempfile
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import attrs
import yaml

from modsys.charts.digests import bytes_sha256
from modsys.charts.errors import ChartDigestMismatch, ChartNotFound, ChartUnavailable
from modsys.charts.ref import ChartRef

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@attrs.frozen
class Download:
    """Archive bytes and the URL they came from."""

    data: bytes
    url: str


@attrs.define
class RepositoryClient:
    """Fetches archives over the network; counts requests (tests and `plan` can report them)."""

    timeout: float = 30.0
    requests: int = 0
    _indexes: dict[str, dict[str, Any]] = attrs.field(factory=dict, repr=False)

    def download(self, ref: ChartRef) -> Download:
        if ref.is_oci:
            return self._pull_oci(ref)
        return self._download_https(ref)

    # --- https Helm repositories -------------------------------------------------------

    def _get(self, url: str, what: str) -> bytes:
        self.requests += 1
        request = urllib.request.Request(url, headers={"User-Agent": "modsys"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                data: bytes = response.read()
                return data
        except urllib.error.HTTPError as exc:
            if exc.code in (401, 403, 404, 410):
                raise ChartNotFound(f"{what}: {url} answered {exc.code} {exc.reason}") from None
            raise ChartUnavailable(f"{what}: {url} answered {exc.code} {exc.reason}") from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ChartUnavailable(f"{what}: cannot reach {url}: {reason}") from None

    def index(self, repository: str) -> dict[str, Any]:
        """The repository's parsed `index.yaml` (read once per client)."""
        if repository not in self._indexes:
            what = f"chart repository {repository}"
            text = self._get(f"{repository}/index.yaml", what)
            try:
                data = yaml.load(text, Loader=_Loader)
            except yaml.YAMLError as exc:
                raise ChartUnavailable(f"{what}: index.yaml is not valid YAML: {exc}") from None
            if not isinstance(data, dict) or not isinstance(data.get("entries"), dict):
                raise ChartUnavailable(f"{what}: index.yaml has no entries")
            self._indexes[repository] = data
        return self._indexes[repository]

    def _download_https(self, ref: ChartRef) -> Download:
        assert ref.repository and ref.name and ref.version
        entries = self.index(ref.repository)["entries"]
        versions = entries.get(ref.name)
        if not versions:
            known = ", ".join(sorted(entries)[:20]) or "none"
            raise ChartNotFound(
                f"chart repository {ref.repository} has no chart {ref.name!r} (it has: {known})"
            )
        entry = next((e for e in versions if str(e.get("version")) == ref.version), None)
        if entry is None or not entry.get("urls"):
            known = ", ".join(str(e.get("version")) for e in versions[:20])
            raise ChartNotFound(
                f"chart repository {ref.repository} has no version {ref.version} of "
                f"{ref.name} (it has: {known})"
            )
        url = urllib.parse.urljoin(ref.repository + "/", str(entry["urls"][0]))
        data = self._get(url, f"chart {ref.name} {ref.version}")
        expected = str(entry.get("digest") or "").removeprefix("sha256:")
        actual = bytes_sha256(data)
        if expected and expected != actual:
            raise ChartDigestMismatch(
                f"chart {ref.name} {ref.version}: {url} has sha256 {actual}, but the "
                f"repository's index.yaml says {expected}",
                expected=expected,
                actual=actual,
            )
        return Download(data, url)

    # --- OCI registries ----------------------------------------------------------------

    def _pull_oci(self, ref: ChartRef) -> Download:
        from modsys.charts.helm import sdk

        helm = sdk()
        assert ref.repository and ref.name and ref.version
        url = f"{ref.repository}/{ref.name}"
        self.requests += 1
        with tempfile.TemporaryDirectory(prefix="modsys-pull-") as tmp:
            try:
                helm.pull(url, version=ref.version, destination=tmp)
            except helm.HelmError as exc:
                detail = " ".join(str(exc).split())
                if "not found" in detail.lower():
                    raise ChartNotFound(f"{url}:{ref.version}: {detail}") from None
                raise ChartUnavailable(f"{url}:{ref.version}: {detail}") from None
            archives = sorted(Path(tmp).glob("*.tgz"))
            if len(archives) != 1:
                raise ChartUnavailable(f"{url}:{ref.version}: the pull produced no archive")
            return Download(archives[0].read_bytes(), f"{url}:{ref.version}")
