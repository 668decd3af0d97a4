"""Import the previous operator's history: authorities, users, and past ACTES (and HELIOS, once
that context stores transactions) transactions with their files, ARs and dated status history.

Two passes. The first reads the whole export and checks it (columns, values, references between
tables, file paths, clashes with what the platform already holds): if anything is wrong,
nothing is imported and every problem is listed. The second imports in batches, each batch one
database transaction together with the ``ImportedItem`` rows that key it by its id in the
export: killed at any point, a rerun resumes after the last committed batch, and a second run
of a finished import brings nothing twice.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bouquet.core.audit import Actor, record
from bouquet.core.choices import Access, AuthorityKind, ModuleCode, Role
from bouquet.core.models import Authority, Membership, Module, ModuleRight, Operator, Siret, User
from bouquet.history_import.export_format import (
    Export,
    ExportError,
    Row,
    parse_date,
    parse_datetime,
    parse_int,
)
from bouquet.history_import.models import IMPORT_ACTOR, ImportedItem, ImportRun, ItemKind

Progress = Callable[[str, int, int], None]
ROLES = {"admin": Role.ADMIN, "agent": Role.AGENT, "lecture": Role.READ_ONLY, "archiviste": Role.ARCHIVIST}
ACTOR = Actor.system(IMPORT_ACTOR)


@dataclass
class AuthorityReport:
    siren: str
    name: str = ""
    created: bool = False
    users: int = 0
    actes: int = 0
    actes_already: int = 0
    pes: int = 0
    pes_already: int = 0


@dataclass
class ImportReport:
    authorities: dict[str, AuthorityReport] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def for_siren(self, siren: str) -> AuthorityReport:
        return self.authorities.setdefault(siren, AuthorityReport(siren))

    def as_dict(self) -> dict:
        return {"authorities": [asdict(a) for a in self.authorities.values()], "problems": self.problems}


def _rights(value: str) -> tuple[str, bool, bool] | None:
    """ "ecriture+CS+TT" → (write, CS, TT); "" → no right."""
    parts = {p.strip().lower() for p in value.replace("é", "e").split("+") if p.strip()}
    if not parts:
        return None
    access = Access.WRITE if "ecriture" in parts else Access.READ if "lecture" in parts else None
    if access is None or parts - {"ecriture", "lecture", "cs", "tt"}:
        raise ValueError(value)
    writing = access == Access.WRITE
    return access, writing and "cs" in parts, writing and "tt" in parts


class HistoryImporter:
    def __init__(self, export: Export, *, batch_size: int = 500, progress: Progress | None = None):
        self.export = export
        self.batch_size = batch_size
        self.progress = progress or (lambda step, done, total: None)
        self.tz = timezone.get_current_timezone()
        self.report = ImportReport()
        self.stored_files: dict[str, object] = {}  # path in the export → StoredFile, within a run

    # -- first pass -------------------------------------------------------------------------

    def check(self) -> list[str]:
        """Every problem of the export, in French; an empty list means it can be imported."""
        problems: list[str] = []
        try:
            self._authorities = list(self.export.rows("collectivites.csv"))
            self._users = list(self.export.rows("utilisateurs.csv"))
            self._actes = list(self.export.rows("actes.csv"))
            self._actes_states = self._group(self.export.rows("actes_etats.csv"))
            self._helios = list(self.export.rows("helios.csv"))
            self._helios_states = self._group(self.export.rows("helios_etats.csv"))
        except ExportError as error:
            return [str(error)]
        sirens = set()
        for row in self._authorities:
            problems += self._check_authority(row)
            sirens.add(row.get("siren"))
        for row in self._users:
            if row.get("siren") not in sirens:
                problems.append(f"{row.where()} : SIREN {row.get('siren')} absent de collectivites.csv.")
            for module in ("actes", "helios"):
                try:
                    _rights(row.get(module))
                except ValueError:
                    problems.append(f"{row.where()} : droits « {row.get(module)} » illisibles.")
            if row.get("role") and row.get("role").lower() not in ROLES:
                problems.append(f"{row.where()} : rôle inconnu « {row.get('role')} ».")
        problems += self._check_actes(sirens)
        if self._helios:
            problems += self._check_helios(sirens)
        return problems

    @staticmethod
    def _group(rows) -> dict[str, list[Row]]:
        grouped = defaultdict(list)
        for row in rows:
            grouped[row.get("id_transaction")].append(row)
        return grouped

    def _check_authority(self, row: Row) -> list[str]:
        if Authority.objects.filter(siren=row.get("siren")).exists():
            return []  # already on the platform: matched, not modified
        candidate = Authority(
            operator=Operator(pk=0),
            name=row.get("nom"),
            kind=row.get("nature"),
            siren=row.get("siren"),
            departement=row.get("departement").zfill(3 if row.get("departement").isdigit() else 0),
            arrondissement=row.get("arrondissement"),
        )
        try:
            candidate.full_clean(exclude=["operator", "parent"])
        except ValidationError as error:
            return [f"{row.where()} : {'; '.join(error.messages)}"]
        problems = []
        for siret in filter(None, (s.strip() for s in row.get("sirets").split("|"))):
            if Siret.objects.filter(siret=siret).exists():
                problems.append(f"{row.where()} : le SIRET {siret} appartient déjà à une autre collectivité.")
        return problems

    def _check_actes(self, sirens: set[str]) -> list[str]:
        from bouquet.actes.choices import Nature, Status, TransactionType
        from bouquet.actes.models import Transaction

        problems, ids, numbers, checked_paths = [], set(), set(), set()
        kinds, statuses, natures = set(TransactionType.values), set(Status.values), set(Nature.values)
        imported = set(ImportedItem.objects.filter(kind=ItemKind.ACTE).values_list("source_id", flat=True))
        taken = set(
            Transaction.objects.filter(authority__siren__in=sirens, type=TransactionType.ACTE).values_list(
                "authority__siren", "number"
            )
        )
        for row in self._actes:
            try:
                if row.get("siren") not in sirens:
                    raise ExportError(
                        f"{row.where()} : SIREN {row.get('siren')} absent de collectivites.csv."
                    )
                if row.get("id") in ids:
                    raise ExportError(f"{row.where()} : identifiant {row.get('id')} en double.")
                ids.add(row.get("id"))
                kind = parse_int(row.get("type"), row, "type", kinds)
                parse_int(row.get("etat"), row, "etat", statuses)
                if row.get("nature"):
                    parse_int(row.get("nature"), row, "nature", natures)
                parse_datetime(row.get("date_creation"), row, self.tz)
                parse_date(row.get("date_decision"), row)
                if len(row.get("objet")) > 500:
                    raise ExportError(f"{row.where()} : objet de plus de 500 caractères.")
                if kind == TransactionType.ACTE and row.get("id") not in imported:
                    key = (row.get("siren"), row.get("numero"))
                    if key in numbers or key in taken:
                        raise ExportError(
                            f"{row.where()} : numéro d'acte {key[1]} déjà utilisé par la collectivité."
                        )
                    numbers.add(key)
                for path in self._paths(row):
                    if path not in checked_paths:
                        self._check_path(path, row)
                        checked_paths.add(path)
                for state in self._actes_states.get(row.get("id"), []):
                    parse_int(state.get("etat"), state, "etat", statuses)
                    parse_datetime(state.get("date"), state, self.tz)
            except ExportError as error:
                problems.append(str(error))
        for source_id, states in self._actes_states.items():
            if source_id not in ids:
                problems.append(f"{states[0].where()} : transaction {source_id} absente de actes.csv.")
        for row in self._actes:
            linked = row.get("id_transaction_liee")
            if linked and linked not in ids:
                problems.append(f"{row.where()} : transaction liée {linked} absente de actes.csv.")
        return problems

    def _check_helios(self, sirens: set[str]) -> list[str]:
        from bouquet.history_import import helios_part

        return helios_part.check(self, sirens)

    def _check_path(self, relative: str, row: Row) -> None:
        folder = self.export.folder
        from pathlib import Path

        if relative.startswith(("/", "\\")) or ".." in Path(relative).parts:
            raise ExportError(f"{row.where()} : chemin de fichier refusé « {relative} ».")
        path = folder / relative
        if path.is_symlink() or not path.resolve().is_relative_to(folder) or not path.is_file():
            raise ExportError(f"{row.where()} : fichier introuvable ou refusé « {relative} ».")

    @staticmethod
    def _paths(row: Row) -> list[str]:
        files = [p.strip() for p in row.get("fichiers").split("|") if p.strip()]
        return files + ([row.get("accuse_reception")] if row.get("accuse_reception") else [])

    def pending(self, rows: list[Row], kind: str, counter: str) -> list[Row]:
        """The rows not imported yet; the others are counted as "déjà là" in ``counter``."""
        already = set(ImportedItem.objects.filter(kind=kind).values_list("source_id", flat=True))
        todo = []
        for row in rows:
            if row.get("id") in already:
                report = self.report.for_siren(row.get("siren"))
                setattr(report, counter, getattr(report, counter) + 1)
            else:
                todo.append(row)
        return todo

    # -- second pass ------------------------------------------------------------------------

    def run(self, source: str = "") -> ImportReport:
        problems = self.check()
        if problems:
            self.report.problems = problems
            return self.report
        run = ImportRun.objects.create(source=source or str(self.export.folder))
        authorities = self._import_authorities(run)
        self._import_users(run, authorities)
        self._import_actes(run, authorities)
        if self._helios:
            from bouquet.history_import import helios_part

            helios_part.run(self, run, authorities)
        run.finished_at = timezone.now()
        run.report = self.report.as_dict()
        run.save(update_fields=["finished_at", "report"])
        return self.report

    def _import_authorities(self, run: ImportRun) -> dict[str, Authority]:
        operator = Operator.objects.order_by("pk").first()
        if operator is None:
            raise ExportError("Aucun opérateur n'est configuré sur la plateforme.")
        found: dict[str, Authority] = {}
        for done, row in enumerate(self._authorities, start=1):
            siren = row.get("siren")
            report = self.report.for_siren(siren)
            with transaction.atomic():
                authority = Authority.objects.filter(siren=siren).first()
                if authority is None:
                    authority = Authority.objects.create(
                        operator=operator,
                        name=row.get("nom"),
                        kind=row.get("nature") or AuthorityKind.AUTRE,
                        siren=siren,
                        departement=row.get("departement").zfill(
                            3 if row.get("departement").isdigit() else 0
                        ),
                        arrondissement=row.get("arrondissement"),
                        population=int(row.get("population")) if row.get("population").isdigit() else None,
                    )
                    for siret in filter(None, (s.strip() for s in row.get("sirets").split("|"))):
                        Siret.objects.create(authority=authority, siret=siret)
                    report.created = True
                    record(actor=ACTOR, action="history_import.authority", authority=authority, obj=authority)
                ImportedItem.objects.get_or_create(
                    kind=ItemKind.AUTHORITY,
                    source_id=row.get("id"),
                    defaults={"object_id": authority.pk, "authority": authority, "run": run},
                )
            report.name = authority.name
            found[siren] = authority
            self.progress("collectivités", done, len(self._authorities))
        return found

    def _import_users(self, run: ImportRun, authorities: dict[str, Authority]) -> None:
        modules = {m.code: m for m in Module.objects.all()}
        for done, row in enumerate(self._users, start=1):
            authority = authorities[row.get("siren")]
            with transaction.atomic():
                user = User.objects.filter(email__iexact=row.get("courriel")).first()
                if user is None:
                    user = User.objects.create_user(
                        row.get("courriel").lower(),
                        None,
                        first_name=row.get("prenom"),
                        last_name=row.get("nom"),
                    )
                membership, created = Membership.objects.get_or_create(
                    user=user,
                    authority=authority,
                    defaults={"role": ROLES.get(row.get("role").lower(), Role.AGENT)},
                )
                if created:
                    self.report.for_siren(authority.siren).users += 1
                    for code, column in ((ModuleCode.ACTES, "actes"), (ModuleCode.HELIOS, "helios")):
                        rights = _rights(row.get(column))
                        if rights and code in modules:
                            ModuleRight.objects.create(
                                membership=membership,
                                module=modules[code],
                                access=rights[0],
                                can_prepare=rights[1],
                                can_transmit=rights[2],
                            )
                ImportedItem.objects.get_or_create(
                    kind=ItemKind.USER,
                    source_id=row.get("id"),
                    defaults={"object_id": user.pk, "authority": authority, "run": run},
                )
            self.progress("utilisateurs", done, len(self._users))

    def _import_actes(self, run: ImportRun, authorities: dict[str, Authority]) -> None:
        from bouquet.history_import import actes_part

        actes_part.run(self, run, authorities)
