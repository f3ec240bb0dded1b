"""A Bawaslu office: who handles a case, how its letters look and are numbered."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, EmailStr, Field


class OfficeLevel(StrEnum):
    RI = "RI"
    PROV = "Prov"
    KAB = "Kab"
    KOTA = "Kota"


class Signer(BaseModel):
    model_config = ConfigDict(frozen=True)

    title: str = Field(description="Jabatan penanda tangan, mis. 'Ketua Bawaslu Kota Balikpapan'")
    name: str
    nip: str | None = None


class Office(BaseModel):
    model_config = ConfigDict(frozen=True)

    key: str
    name: str = Field(description="Nama lengkap lembaga untuk kop surat")
    short_name: str
    level: OfficeLevel
    region_code: str = Field(description="Kode wilayah Kemendagri, mis. '64.09'")
    region_name: str
    timezone: str = Field(description="Zona waktu IANA, mis. 'Asia/Makassar'")
    city: str = Field(description="Tempat penandatanganan surat")
    address: str
    phone: str | None = None
    email: EmailStr | None = None
    website: str | None = None
    signer: Signer
    officers: tuple[Signer, ...] = Field(
        default=(),
        description="Pemeriksa dan penyusun kajian yang menandatangani berita acara dan kajian",
    )
    logo: str = Field(
        default="netra-netral.png",
        description="Berkas lambang untuk kop surat, di config/logos/ atau NETRA_TEMPLATES_DIR",
    )
    unit_code: str = Field(description="Kode unit pada nomor surat, mis. 'K.KI-09'")
    personnel_agency: str = Field(
        description="BKD/BKPSDM daerah yang menerima tembusan surat penerusan"
    )
    personnel_agency_email: EmailStr | None = Field(
        default=None, description="Alamat surel BKD/BKPSDM untuk salinan tembusan"
    )
    publish_kajian: bool = Field(
        default=False,
        description="Umumkan hasil kajian awal kantor ini di situs publik (nomor, tanggal, "
        "diregistrasi atau tidak; tanpa data pribadi)",
    )


PLACEHOLDER_PREFIX = "Contoh Nama"


def placeholder_signers(office: Office) -> list[str]:
    """The signer and officers still named by the shipped placeholders ("Contoh Nama ...")."""
    people = (office.signer, *office.officers)
    return [f"{p.title}: {p.name}" for p in people if p.name.startswith(PLACEHOLDER_PREFIX)]
