"""The composition root: builds the whole kiosk from its configuration, and nothing else does.

No engine, connection, device or thread exists before `build_kiosk` is called.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO

from drivers.contracts import Camera, Device, DeviceError, DeviceState, PrintJob, ReceiptPrinter
from drivers.registry import DriverError, load_driver
from kiosk.config import DEVICE_KINDS, KioskConfig, PaymentSection
from kiosk.domain.payment import PaymentRules
from kiosk.enroll import center_client, credentials_path, kiosk_credentials
from kiosk.fleet_link import FleetLink, StoredKioskState, build_fleet_link
from kiosk.reference_setup import ReferenceSync, build_reference_sync, reference_library
from kiosk.services import KioskServices
from kiosk.services.audit import AuditTrail
from kiosk.services.business import BusinessDesk
from kiosk.services.history import HistoryDesk
from kiosk.services.paper_roll import PaperCounter
from kiosk.services.paying import Payments
from kiosk.services.payment_types import PaymentLimits
from kiosk.services.receipt_printing import ReceiptPrinting
from kiosk.services.reference import ReferenceLibrary
from kiosk.store import Store, open_store
from kiosk.store.payment_journal import PaymentJournal
from sync.client import CenterClient, PlainHttpRefused
from sync.credentials import CredentialsError
from sync.relay import Relay
from sync.sealing import sealer_for

if TYPE_CHECKING:
    from kiosk.services.maintenance import MaintenanceDesk
    from kiosk.services.video_help import CallRecord
    from kiosk.video.link import VideoLink

log = logging.getLogger(__name__)


class KioskStartError(RuntimeError):
    """The kiosk cannot run as configured (e.g. a driver named in config is not installed)."""


@dataclass
class Kiosk:
    config: KioskConfig
    store: Store
    center: CenterClient
    relay: Relay
    services: KioskServices
    devices: dict[str, Device] = field(default_factory=dict)
    payments: Payments | None = None
    fleet: FleetLink | None = None
    reference: ReferenceSync | None = None
    video: VideoLink | None = None
    maintenance: MaintenanceDesk | None = None

    def start(self) -> None:
        """Open and enable every device, start delivering events to the center.

        A device that cannot be opened does not stop the kiosk: the screens offer what works
        and the maintenance screen shows what does not.
        """
        for kind, device in self.devices.items():
            try:
                device.open()
                device.enable()
            except DeviceError as error:
                log.warning("device %s not available at start: %s", kind, error)
        self.relay.start()
        if self.fleet is not None:
            self.fleet.start()
        if self.reference is not None:
            self.reference.start()
        if self.payments is not None:
            # Unsettled payments of a previous run are followed again, behind the screens.
            threading.Thread(
                target=self.payments.resume_unfinished, name="payments-resume", daemon=True
            ).start()

    def close(self) -> None:
        if self.video is not None:
            self.video.close()
        if self.payments is not None:
            self.payments.stop(timeout=5.0)
        if self.fleet is not None:
            self.fleet.stop()
        if self.reference is not None:
            self.reference.stop()
        if not self.relay.stop(timeout=5.0):
            log.warning("the queue relay did not stop within 5 s")
        for kind, device in self.devices.items():
            if device.state is not DeviceState.CLOSED:
                try:
                    device.close()
                except DeviceError as error:
                    log.warning("device %s did not close cleanly: %s", kind, error)
        self.center.close()
        self.store.close()


def build_devices(config: KioskConfig) -> dict[str, Device]:
    """The configured devices, in the order they are to be opened (the camera first)."""
    devices: dict[str, Device] = {}
    camera = config.devices.camera
    for kind in sorted(DEVICE_KINDS, key=lambda k: k != "camera"):
        section = getattr(config.devices, kind)
        if not section.enabled:
            continue
        options = {"url": section.url, **section.options}
        if (
            kind == "scanner"
            and section.driver == "camera"
            and "camera" in devices
            and section.url == camera.url
        ):
            # A camera is owned by one capture thread (V4L2 is exclusive): the scanner reads
            # the frames of the camera device rather than opening it a second time.
            options = {**section.options, "camera": devices["camera"]}
        try:
            devices[kind] = load_driver(kind, section.driver, options)
        except DriverError as error:
            raise KioskStartError(f"devices.{kind}.driver = {section.driver!r}: {error}") from error
    return devices


def payment_rules(section: PaymentSection) -> PaymentRules:
    return PaymentRules(
        first_query_s=section.first_query_seconds,
        query_interval_s=section.query_interval_seconds,
        query_window_s=section.query_window_seconds,
        native_query_interval_s=section.native_query_interval_seconds,
        native_window_s=section.native_window_seconds,
        reverse_interval_s=section.reverse_interval_seconds,
        reverse_backoff_max_s=section.reverse_backoff_max_seconds,
        confirm_grace_s=section.confirm_grace_seconds,
    )


def build_payments(
    config: KioskConfig,
    store: Store,
    center: CenterClient,
    printer: ReceiptPrinter | None,
    printed: Callable[[PrintJob], None] | None = None,
) -> Payments:
    width = printer.capabilities.paper_width_chars if printer is not None else 32
    return Payments(
        center,
        PaymentJournal(store.unit_of_work),
        ReceiptPrinting(printer, config.payment.printer_wait_seconds, printed),
        rules=payment_rules(config.payment),
        kiosk_id=config.kiosk.id,
        station_name=config.kiosk.station_name_zh,
        paper_width_chars=width,
    )


def build_center_client(config: KioskConfig) -> CenterClient:
    """Signing with the kiosk's credentials once it is enrolled, verifying TLS against
    center.ca_bundle; a setting that would make the link unsafe stops the start."""
    try:
        return center_client(config, kiosk_credentials(config))
    except (CredentialsError, PlainHttpRefused, ValueError) as error:
        raise KioskStartError(str(error)) from error


def build_kiosk(config: KioskConfig, reference: ReferenceLibrary | None = None) -> Kiosk:
    """`reference`: the library the window already reads (None: one is made here)."""
    data_dir = config.kiosk.data_dir
    center = build_center_client(config)
    # Personal fields of queued events are sealed with a key kept outside the database file.
    sealing = sealer_for(data_dir, credentials_path(config))
    store = open_store(config.kiosk.store_file, sealing=sealing)
    relay = Relay(
        store.engine,
        center.deliver_events,
        config.kiosk.id,
        batch_size=config.queue.batch_size,
        backoff_max=config.queue.max_retry_seconds,
        sealing=sealing,
        keep_delivered=dt.timedelta(hours=config.queue.keep_delivered_hours),
    )
    store.when_events_committed(relay.notify)
    try:
        devices = build_devices(config)
    except KioskStartError:
        center.close()
        store.close()
        raise
    printer = devices.get("printer")
    audit = AuditTrail(store.unit_of_work, kiosk_id=config.kiosk.id)
    paper = PaperCounter(
        store.unit_of_work,
        StoredKioskState(store),
        audit,
        roll_mm=config.maintenance.paper_roll_metres * 1000,
    )
    payments = None
    if config.payment.enabled:
        payments = build_payments(
            config,
            store,
            center,
            printer if isinstance(printer, ReceiptPrinter) else None,
            paper.used,
        )
    fleet = build_fleet_link(config, store, center, relay, devices, paper)
    camera = devices.get("camera")
    services = KioskServices(
        center,
        store.unit_of_work,
        kiosk_id=config.kiosk.id,
        bill_qr_prefix=config.scanner.bill_qr_prefix,
        payments=payments,
        payment_limits=PaymentLimits.from_settings(config.payment),
        connectivity=fleet.connectivity,
        remote_commands=fleet.remote_commands,
        reference=reference or reference_library(config),
        business=BusinessDesk(
            center,
            store.unit_of_work,
            kiosk_id=config.kiosk.id,
            station_id=config.kiosk.station_id,
            print_slip=payments.print_slip if payments is not None else None,
        ),
        history=HistoryDesk(
            center, print_paper=payments.print_slip if payments is not None else None
        ),
        camera=camera if isinstance(camera, Camera) else None,
        hotline=config.help.hotline,
        device_faults=fleet.device_faults,
    )
    assert services.reference is not None
    synced = build_reference_sync(config, store, center, services.reference, services)
    fleet.remote_commands.sync_now_hooks.append(synced.puller.wake)

    def reload_settings() -> None:
        synced.library.reload()  # whether anything changed or not: its listeners were told

    fleet.remote_commands.reload_settings_hooks.append(reload_settings)
    video = build_video_link(config, center, devices, services.record_call)
    fleet.health.session_since = lambda: services.session_since
    maintenance = build_maintenance(
        config, store, devices, fleet, relay, paper=paper, payments=payments
    )
    return Kiosk(
        config, store, center, relay, services, devices, payments, fleet, synced, video, maintenance
    )


def build_maintenance(
    config: KioskConfig,
    store: Store,
    devices: dict[str, Device],
    fleet: FleetLink,
    relay: Relay,
    clock: Callable[[], dt.datetime] | None = None,
    *,
    paper: PaperCounter | None = None,
    payments: Payments | None = None,
) -> MaintenanceDesk:
    """The technician's desk; `clock` (UTC) decides when a lock on entry runs out."""
    from kiosk.domain.technician_access import EntryRules
    from kiosk.services.maintenance import MaintenanceDesk
    from kiosk.services.technician_access import TechnicianAccess

    settings = config.maintenance
    audit = AuditTrail(store.unit_of_work, kiosk_id=config.kiosk.id)
    if paper is None:
        paper = PaperCounter(
            store.unit_of_work,
            StoredKioskState(store),
            audit,
            roll_mm=settings.paper_roll_metres * 1000,
        )
    access = TechnicianAccess(
        store.unit_of_work,
        StoredKioskState(store),
        audit,
        pin_hash=settings.pin_hash,
        card_hashes=settings.technician_cards,
        rules=EntryRules(settings.failures_to_lock, dt.timedelta(minutes=settings.lock_minutes)),
        **({"clock": clock} if clock is not None else {}),
    )

    def sync_now() -> None:
        for hook in fleet.remote_commands.sync_now_hooks:
            hook()
        fleet.heartbeat.beat_now()

    from kiosk.log_book import LogBook
    from kiosk.site_settings import SiteSettings
    from kiosk.technician import exercise, test_page

    def test_device(kind: str, device: Device, wait_s: float, out: TextIO) -> int:
        return exercise(kind, device, config, wait_s, out)

    return MaintenanceDesk(
        devices,
        test_device,
        access,
        audit,
        fleet.remote_commands,
        relay.status,
        sync_now,
        paper,
        test_page(config),
        payments,
        LogBook(config.kiosk.data_dir / "logs", store, config.kiosk.id, settings.usb_roots),
        SiteSettings(config, config.site_file),
    )


def build_video_link(
    config: KioskConfig,
    center: CenterClient,
    devices: dict[str, Device],
    record: Callable[[CallRecord], None],
) -> VideoLink | None:
    """Video help's link, or None when it is turned off. Nothing of it runs (no thread, no
    socket) until the first call."""
    if not config.video.enabled:
        return None
    from kiosk.video.link import VideoLink, VideoSettings

    video = config.video
    camera = devices.get("camera")
    return VideoLink(
        VideoSettings(
            center_url=center.base_url,
            kiosk_id=center.kiosk_id,
            credentials=center.credentials,
            ca_bundle=config.center.ca_bundle or None,
            loopback_candidates=video.loopback_candidates,
            microphone=video.microphone,
            speaker=video.speaker,
        ),
        camera if isinstance(camera, Camera) else None,
        record,
    )
