"""The signed application as a PDF sealed by the center (电子签名法 §13: any later change to the
content or the signature is detectable).

`render_application` draws what the resident signed: kind, number, station, the form's fields,
the documents with their sha256, those promised (承诺书) and on file, the signature image and
the content's sha256. `seal_pdf` adds a PAdES signature with the center's seal (`CenterSeal`):
a key and certificate from KIOSK_CENTER_SEAL_KEY / KIOSK_CENTER_SEAL_CERT, or made on first
start in the center's data folder. `verify_sealed_pdf` says whether a PDF is intact as sealed.

The text needs a CJK font: Noto Sans CJK (the fonts-noto-cjk package) or the file
KIOSK_CENTER_PDF_FONT names; without one rendering fails with a clear error.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import glob
import io
import logging
import os
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from center.business.tables import ApplicationRow

log = logging.getLogger(__name__)

SEAL_KEY_ENV = "KIOSK_CENTER_SEAL_KEY"
SEAL_CERT_ENV = "KIOSK_CENTER_SEAL_CERT"
FONT_ENV = "KIOSK_CENTER_PDF_FONT"
SEAL_FIELD = "CenterSeal"
SEAL_NAME = "Base-station kiosk reference center seal"
# Where a CJK font is looked for, first match wins: Debian's fonts-noto-cjk, then any CJK font.
FONT_PATTERNS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/**/NotoSansCJK*-Regular.tt[cf]",
    "/usr/share/fonts/**/NotoSansCJK*.otf",
    "/usr/share/fonts/**/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/**/wqy-*.tt[cf]",
)


class NoCjkFont(RuntimeError):
    """No font that can write Chinese: install fonts-noto-cjk or set KIOSK_CENTER_PDF_FONT."""


@dataclass(frozen=True)
class PdfFont:
    path: str
    number: int  # the font's index in a collection (.ttc); 0 for a single font


def find_cjk_font(
    env: Mapping[str, str] | None = None, patterns: Iterable[str] = FONT_PATTERNS
) -> PdfFont:
    """The font file KIOSK_CENTER_PDF_FONT names, else the first of `patterns` installed."""
    env = os.environ if env is None else env
    configured = env.get(FONT_ENV)
    candidates = [configured] if configured else []
    for pattern in patterns:
        candidates += sorted(glob.glob(pattern, recursive=True))
    for path in candidates:
        if path and Path(path).is_file():
            return PdfFont(path, _simplified_chinese_index(path))
    raise NoCjkFont(
        "no CJK font for the sealed application PDF: install fonts-noto-cjk or set "
        f"{FONT_ENV} to a TTF/OTF/TTC font file"
    )


@lru_cache(maxsize=8)
def _simplified_chinese_index(path: str) -> int:
    """In a collection, the Simplified Chinese face (Noto's "... CJK SC"); else the first."""
    if not path.lower().endswith(".ttc"):
        return 0
    from fontTools.ttLib import TTCollection  # type: ignore[import-untyped]

    collection = TTCollection(path, lazy=True)
    for index, font in enumerate(collection.fonts):
        family = str(font["name"].getDebugName(1) or "")
        if family.endswith(" SC") and "Mono" not in family:
            return index
    return 0


def render_application(
    row: ApplicationRow,
    documents: list[tuple[str, str]],
    signature_png: bytes,
    *,
    font: PdfFont | None = None,
) -> bytes:
    """The application as signed, as PDF bytes. `documents`: (document id, sha256) pairs."""
    from fpdf import FPDF

    font = font or find_cjk_font()
    pdf = FPDF(format="A4")
    pdf.set_creation_date(row.received_at)  # the same application renders the same bytes
    pdf.set_title(f"Application {row.number}")
    pdf.add_font("cjk", fname=font.path, collection_font_number=font.number)
    pdf.add_page()
    pdf.set_font("cjk", size=16)
    pdf.cell(text=f"业务申请 Application {row.number}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=10)
    lines: list[tuple[str, str]] = [
        ("kind", row.kind),
        ("station", row.station),
        ("account", row.account_number or "-"),
        ("submitted", row.submitted_at.isoformat()),
        ("received", row.received_at.isoformat()),
    ]
    lines += [(f"form.{key}", str(value)) for key, value in sorted(row.form.items())]
    lines += [(f"document {document}", digest) for document, digest in documents]
    lines += [("promised", ", ".join(sorted(row.promised)) or "-")]
    lines += [("on file", ", ".join(sorted(row.on_file)) or "-")]
    lines += [("content sha256", row.content_sha256)]
    for label, value in lines:
        pdf.cell(w=45, text=label)
        pdf.multi_cell(w=0, text=value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.cell(text="签名 Signature", new_x="LMARGIN", new_y="NEXT")
    try:
        pdf.image(io.BytesIO(signature_png), w=80)
    except Exception as error:  # a kiosk's PNG the image library cannot read: say so, go on
        log.warning("signature image not drawn: %s", type(error).__name__)
        pdf.cell(text="(the signature image could not be drawn)", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


# -- the seal ------------------------------------------------------------------------------------


class CenterSeal:
    """The center's sealing key and certificate."""

    def __init__(self, key_pem: bytes, cert_pem: bytes) -> None:
        from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data

        self.key = load_private_key_from_pemder_data(key_pem, passphrase=None)
        certificates = list(load_certs_from_pemder_data(cert_pem))
        if not certificates:
            raise ValueError("the seal's certificate file holds no certificate")
        self.certificate = certificates[0]

    @classmethod
    def configured(cls, data_folder: Path, env: Mapping[str, str] | None = None) -> CenterSeal:
        """From KIOSK_CENTER_SEAL_KEY/_CERT (PEM files) when set, else the seal kept in
        `data_folder`, made there on first start."""
        env = os.environ if env is None else env
        key_file, cert_file = env.get(SEAL_KEY_ENV), env.get(SEAL_CERT_ENV)
        if key_file or cert_file:
            if not (key_file and cert_file):
                raise ValueError(f"set both {SEAL_KEY_ENV} and {SEAL_CERT_ENV}, or neither")
            return cls(Path(key_file).read_bytes(), Path(cert_file).read_bytes())
        bundle = data_folder / "seal.pem"
        if not bundle.exists():
            _make_seal(bundle)
        text = bundle.read_bytes()
        return cls(text, text)

    def seal(self, pdf: bytes) -> bytes:
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import signers
        from pyhanko.sign.fields import SigSeedSubFilter
        from pyhanko_certvalidator.registry import SimpleCertificateStore

        signer = signers.SimpleSigner(
            signing_cert=self.certificate,
            signing_key=self.key,
            cert_registry=SimpleCertificateStore.from_certs([self.certificate]),
        )
        meta = signers.PdfSignatureMetadata(
            field_name=SEAL_FIELD,
            subfilter=SigSeedSubFilter.PADES,
            md_algorithm="sha256",
            name=SEAL_NAME,
        )
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        return bytes(signers.sign_pdf(writer, meta, signer=signer).getvalue())


def sealed_application(
    seal: CenterSeal,
    row: ApplicationRow,
    documents: list[tuple[str, str]],
    signature_png: bytes,
    *,
    font: PdfFont | None = None,
) -> bytes:
    return seal.seal(render_application(row, documents, signature_png, font=font))


def verify_sealed_pdf(data: bytes, seal: CenterSeal | None = None) -> bool:
    """Whether `data` is a PDF sealed once and unchanged since: the seal covers every byte and
    its signature holds. With `seal`, it must also be that center's seal."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
        if len(signatures) != 1:
            return False
        embedded = signatures[0]
        trusted = seal.certificate if seal is not None else embedded.signer_cert
        context = ValidationContext(trust_roots=[trusted], allow_fetching=False)
        status: Any = validate_pdf_signature(embedded, context)
    except Exception:  # a PDF that does not even parse is not intact
        return False
    return bool(
        status.intact
        and status.valid
        and status.coverage == SignatureCoverageLevel.ENTIRE_FILE
        and (seal is None or status.trusted)
    )


def _make_seal(bundle: Path) -> None:
    """A new key (P-256) and a self-signed certificate for ten years, in one PEM file, put in
    place atomically: when several processes start at once, the first one's seal is kept."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, SEAL_NAME)])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ) + certificate.public_bytes(serialization.Encoding.PEM)
    bundle.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=bundle.parent, prefix=".seal-")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(pem)
        os.chmod(temporary, 0o600)
        with contextlib.suppress(FileExistsError):  # another process put its seal first
            os.link(temporary, bundle)
    finally:
        Path(temporary).unlink(missing_ok=True)
    log.info("a new center seal was made")
