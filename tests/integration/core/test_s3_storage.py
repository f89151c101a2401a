"""Photos on S3-compatible object storage: stored in the bucket, served from /uploads/,
removed again when a save rolls back. Against a local S3 emulator, never the internet."""

import io

import boto3
import pytest
from PIL import Image

from kyora.core.storage import S3Storage, get_storage
from kyora.extensions import db
from tests.factories import login, make_product, make_tenant

BUCKET = "kyora-photos"


@pytest.fixture(scope="module")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",  # noqa: S106 - the emulator takes any key
    ).create_bucket(Bucket=BUCKET)
    yield endpoint
    server.stop()


@pytest.fixture
def on_s3(app, monkeypatch, s3_endpoint):
    for name, value in {
        "STORAGE_BACKEND": "s3",
        "S3_BUCKET": BUCKET,
        "S3_ENDPOINT_URL": s3_endpoint,
        "S3_ACCESS_KEY_ID": "test",
        "S3_SECRET_ACCESS_KEY": "test",
    }.items():
        monkeypatch.setitem(app.config, name, value)
    monkeypatch.delitem(app.extensions, "kyora_s3", raising=False)
    yield
    app.extensions.pop("kyora_s3", None)


def _objects(app) -> set[str]:
    with app.app_context():
        client = get_storage().client
    listing = client.list_objects_v2(Bucket=BUCKET)
    return {item["Key"] for item in listing.get("Contents", [])}


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (400, 300), (20, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def test_a_photo_goes_to_the_bucket_and_is_served_from_uploads(app, client, on_s3):
    with app.test_request_context("/"):
        owner, business = make_tenant()
        product = make_product(business, "Silk Scarf")
        db.session.commit()
        assert isinstance(get_storage(), S3Storage)
    before = _objects(app)
    login(client, owner)
    url = f"/b/{business.handle}/products/{product.id}/photos"
    response = client.post(
        url,
        data={"photos": [(io.BytesIO(_png()), "scarf.png")]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    added = _objects(app) - before
    assert len(added) == 2  # the display size and the thumbnail
    key = sorted(added)[0]
    served = client.get(f"/uploads/{key}")
    assert served.status_code == 200
    assert served.mimetype == "image/webp"
    assert served.data[:4] == b"RIFF"
    assert "max-age=31536000" in served.headers["Cache-Control"]
    assert client.get("/uploads/products/none/missing.webp").status_code == 404
    assert client.get("/uploads/../etc/passwd").status_code == 404


def test_files_of_a_rolled_back_save_are_removed_from_the_bucket(app, on_s3):
    from kyora.inventory.photos import PreparedPhoto, attach_photos

    with app.test_request_context("/"):
        _owner, business = make_tenant()
        product = make_product(business, "Silk Scarf")
        db.session.commit()
        before = _objects(app)
        attach_photos(business, product, [PreparedPhoto(b"display", b"thumb", 10, 10)])
        assert len(_objects(app) - before) == 2
        db.session.rollback()
        assert _objects(app) == before
