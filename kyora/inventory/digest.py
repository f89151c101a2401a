"""The daily low-stock digest: owners and admins hear about variants that became low
or ran out since the last digest. Nothing is sent when nothing changed.

Each variant remembers the status the last digest reported (`alerted_status`);
a variant is news when its status now is low or out and differs from that.
"""

from __future__ import annotations

import sqlalchemy as sa

from kyora.accounts.models import User
from kyora.businesses.models import Business
from kyora.core.jobs import crontab, periodic
from kyora.core.mail import queue_email
from kyora.core.permissions import ADMIN, OWNER
from kyora.extensions import db
from kyora.inventory.models import IN_STOCK, LOW, OUT, Product, Variant


def _status():
    threshold = sa.func.coalesce(Variant.low_stock_threshold, Business.low_stock_threshold)
    return sa.case(
        (Variant.stock <= 0, OUT),
        (Variant.stock <= threshold, LOW),
        else_=IN_STOCK,
    )


def run_digest() -> int:
    """Queue today's digests and remember what they reported. Returns emails queued."""
    status = _status()
    rows = db.session.execute(
        sa.select(
            Variant.id,
            Variant.business_id,
            Variant.product_id,
            Variant.stock,
            Variant.options_label,
            Product.name.label("product_name"),
            status.label("status"),
        )
        .join(Product, Product.id == Variant.product_id)
        .join(Business, Business.id == Variant.business_id)
        .where(
            Variant.archived_at.is_(None),
            Product.archived_at.is_(None),
            Business.archived_at.is_(None),
            status != Variant.alerted_status,
        )
        .order_by(Variant.business_id, Variant.stock, Product.name, Variant.position)
    ).all()
    if not rows:
        return 0
    news: dict[int, list] = {}
    for row in rows:
        if row.status in (LOW, OUT):
            news.setdefault(row.business_id, []).append(row)
    sent = 0
    if news:
        businesses = {
            b.id: b
            for b in db.session.scalars(sa.select(Business).where(Business.id.in_(list(news))))
        }
        recipients = db.session.scalars(
            sa.select(User).where(
                User.workspace_id.in_({b.workspace_id for b in businesses.values()}),
                User.role.in_((OWNER, ADMIN)),
                User.deactivated_at.is_(None),
                User.email_verified_at.is_not(None),
            )
        ).all()
        for business_id, items in news.items():
            business = businesses[business_id]
            for user in recipients:
                if user.workspace_id != business.workspace_id:
                    continue
                queue_email(
                    user.email,
                    "low_stock_digest",
                    locale=user.locale,
                    name=user.first_name,
                    business=business,
                    out=[item for item in items if item.status == OUT],
                    low=[item for item in items if item.status == LOW],
                )
                sent += 1
    # Remember what was reported (and quietly note variants that recovered).
    for new_status in (IN_STOCK, LOW, OUT):
        ids = [row.id for row in rows if row.status == new_status]
        if ids:
            db.session.execute(
                sa.update(Variant)
                .where(Variant.id.in_(ids))
                .values(alerted_status=new_status)
                .execution_options(synchronize_session=False)
            )
    db.session.commit()
    return sent


@periodic(crontab(hour="6", minute="0"))
def send_low_stock_digests() -> int:
    """Every morning (06:00 UTC): the low-stock digest of every business."""
    return run_digest()
