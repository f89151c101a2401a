"""Product photos: checked by content, resized, stored, reordered and deleted."""

import io
import random
from pathlib import Path

import pytest
import sqlalchemy as sa
from PIL import Image

from kyora.core.storage import LocalStorage
from kyora.extensions import db
from kyora.inventory.models import ProductPhoto
from tests.factories import login, make_product, make_tenant, page_text


def image_bytes(size=(1600, 900), color=(200, 30, 60), fmt="PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format=fmt)
    return out.getvalue()


@pytest.fixture
def shop(client, request_ctx):
    owner, business = make_tenant()
    product = make_product(business, "Silk Scarf", options={"Colour": ["Red", "Blue"]})
    db.session.commit()
    login(client, owner)
    return business, product, f"/b/{business.handle}/products/{product.id}"


def _photos(product_id):
    db.session.expire_all()
    return db.session.scalars(
        sa.select(ProductPhoto)
        .where(ProductPhoto.product_id == product_id)
        .order_by(ProductPhoto.position)
    ).all()


def test_upload_several_resized_with_thumbnails(app, client, shop):
    business, product, url = shop
    files = [(io.BytesIO(image_bytes()), "big.png"), (io.BytesIO(image_bytes(fmt="JPEG")), "b.jpg")]
    red = product.variants[0].id
    response = client.post(
        url + "/photos",
        data={"photos": files, "variant_id": str(red)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    photos = _photos(product.id)
    assert [p.position for p in photos] == [0, 1]
    assert all(p.variant_id == red for p in photos)
    root = Path(app.config["UPLOAD_DIR"])
    with Image.open(root / photos[0].image_key) as display:
        assert display.format == "WEBP" and max(display.size) == 1200
        assert (photos[0].width, photos[0].height) == display.size
    with Image.open(root / photos[0].thumb_key) as thumb:
        assert thumb.size == (320, 320)
    # A 1600×900 photo also gets a 720 px copy for phones.
    with Image.open(root / photos[0].medium_key) as medium:
        assert medium.format == "WEBP" and medium.size == (720, 405)
        assert photos[0].medium_width == 720
    page = page_text(client.get(url))
    assert f"/uploads/{photos[0].thumb_key}" in page
    listing = page_text(client.get(f"/b/{business.handle}/products/"))
    assert f"/uploads/{photos[0].thumb_key}" in listing  # the cover is the list thumbnail


def test_a_photo_no_larger_than_a_phone_needs_gets_no_medium_copy(client, shop):
    _business, product, url = shop
    files = [(io.BytesIO(image_bytes(size=(600, 700))), "small.png")]
    client.post(url + "/photos", data={"photos": files}, content_type="multipart/form-data")
    (photo,) = _photos(product.id)
    assert photo.medium_key is None and (photo.width, photo.height) == (600, 700)


def test_non_images_and_oversized_files_are_refused(app, client, shop, monkeypatch):
    business, product, url = shop
    response = client.post(
        url + "/photos",
        data={"photos": [(io.BytesIO(b"%PDF-1.4 not an image"), "scarf.png")]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "scarf.png: This file is not an image we can read." in page_text(response)
    # A small cap keeps the upload below the test client's spooling threshold.
    monkeypatch.setitem(app.config, "UPLOAD_MAX_IMAGE_BYTES", 300_000)
    noisy = Image.frombytes("RGB", (400, 400), random.Random(1).randbytes(400 * 400 * 3))
    out = io.BytesIO()
    noisy.save(out, format="PNG")
    assert 300_000 < len(out.getvalue()) < 500_000
    before = set(Path(app.config["UPLOAD_DIR"]).rglob("*"))
    response = client.post(
        url + "/photos",
        data={"photos": [(io.BytesIO(out.getvalue()), "huge.png")]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "huge.png: This image is too large." in page_text(response)
    assert _photos(product.id) == []
    assert set(Path(app.config["UPLOAD_DIR"]).rglob("*")) == before


def test_too_many_or_too_large_images_are_refused_before_any_decoding(
    app, client, shop, monkeypatch
):
    """60 copies of a huge (but small-on-disk) PNG: refused from the count alone, and one
    copy is refused from its header, without Pillow ever decoding the pixels."""
    business, product, url = shop
    # 39.7 megapixels in 5 KB (a one-bit PNG), so 60 of them stay below the test client's
    # spooling threshold.
    out = io.BytesIO()
    Image.new("1", (6300, 6300)).save(out, format="PNG", optimize=True)
    huge = out.getvalue()
    decoded = []
    original_load = Image.Image.load

    def counting_load(image):
        decoded.append(image.size)
        return original_load(image)

    monkeypatch.setattr(Image.Image, "load", counting_load)
    response = client.post(
        url + "/photos",
        data={"photos": [(io.BytesIO(huge), f"p{n}.png") for n in range(60)]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "Add up to 12 photos." in page_text(response)
    response = client.post(
        url + "/photos",
        data={"photos": [(io.BytesIO(huge), "giant.png")]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "giant.png: This image is larger than 20 megapixels." in page_text(response)
    assert (6300, 6300) not in decoded
    assert _photos(product.id) == []


def test_reorder_and_delete(app, client, shop):
    business, product, url = shop
    files = [(io.BytesIO(image_bytes(color=(i * 60, 0, 0))), f"{i}.png") for i in range(3)]
    client.post(url + "/photos", data={"photos": files}, content_type="multipart/form-data")
    first, second, third = _photos(product.id)
    response = client.post(
        f"{url}/photos/{third.id}/move",
        data={"direction": "earlier"},
        headers={"HX-Request": "true", "HX-Target": "product-photos"},
    )
    assert response.status_code == 200
    assert page_text(response).startswith('<section class="card" id="product-photos"')
    assert [p.id for p in _photos(product.id)] == [first.id, third.id, second.id]
    client.post(f"{url}/photos/{first.id}/move", data={"direction": "earlier"})  # already first
    assert [p.id for p in _photos(product.id)] == [first.id, third.id, second.id]
    root = Path(app.config["UPLOAD_DIR"])
    first_id, second_id, third_id = first.id, second.id, third.id
    files = [root / first.image_key, root / first.thumb_key, root / first.medium_key]
    assert all(path.exists() for path in files)
    assert client.post(f"{url}/photos/{first_id}/delete").status_code == 303
    assert [p.id for p in _photos(product.id)] == [third_id, second_id]
    assert not any(path.exists() for path in files)


def test_photos_upload_with_the_product_form_and_a_bad_one_writes_nothing(app, client, request_ctx):
    owner, business = make_tenant()
    login(client, owner)
    base = f"/b/{business.handle}/products"
    data = {
        "mode": "simple",
        "name": "Gift Box",
        "variants-0-price": "25",
        "photos": [
            (io.BytesIO(image_bytes()), "ok.png"),
            (io.BytesIO(b"GIF89a-broken"), "bad.gif"),
        ],
    }
    response = client.post(base + "/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "bad.gif: This file is not an image we can read." in page_text(response)
    assert db.session.scalar(sa.select(sa.func.count(ProductPhoto.id))) == 0
    data["photos"] = [(io.BytesIO(image_bytes()), "ok.png")]
    assert (
        client.post(base + "/new", data=data, content_type="multipart/form-data").status_code == 303
    )
    assert db.session.scalar(sa.select(sa.func.count(ProductPhoto.id))) == 1


def test_another_products_photo_is_404(client, shop):
    business, product, url = shop
    other = make_product(business, "Cap")
    db.session.commit()
    files = [(io.BytesIO(image_bytes()), "a.png")]
    client.post(url + "/photos", data={"photos": files}, content_type="multipart/form-data")
    photo = _photos(product.id)[0]
    other_url = f"/b/{business.handle}/products/{other.id}"
    assert client.post(f"{other_url}/photos/{photo.id}/delete").status_code == 404


def test_files_written_for_a_rolled_back_save_are_removed(app, request_ctx):
    from kyora.inventory.photos import PreparedPhoto, attach_photos

    owner, business = make_tenant()
    product = make_product(business, "Cap")
    attach_photos(business, product, [PreparedPhoto(image_bytes(), image_bytes(), 10, 10)])
    key = db.session.scalar(sa.select(ProductPhoto.image_key))
    path = Path(app.config["UPLOAD_DIR"]) / key
    assert path.exists()
    db.session.rollback()
    assert not path.exists()


def test_local_storage_backend(tmp_path):
    storage = LocalStorage(tmp_path)
    key = storage.save(b"hello", "products/7", "webp")
    assert key.startswith("products/7/") and key.endswith(".webp")
    assert storage.open(key) == b"hello"
    storage.delete(key)
    assert not (tmp_path / key).exists()
    storage.delete(key)  # deleting twice is fine
    with pytest.raises(ValueError):
        storage.open("../outside.txt")


def test_uploads_are_rate_limited_per_person(client, shop):
    business, product, url = shop
    statuses = [
        client.post(
            url + "/photos",
            data={"photos": [(io.BytesIO(b"not an image"), "x.png")]},
            content_type="multipart/form-data",
        ).status_code
        for _ in range(31)
    ]
    assert statuses[:30] == [422] * 30
    assert statuses[30] == 429
    # Saving the product form without files is not an upload: never limited by this.
    assert client.get(url).status_code == 200
