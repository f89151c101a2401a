"""Flask extension instances, created unbound and initialised in `create_app`."""

from flask_babel import Babel
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from kyora.core.db import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
# HTML (and htmx partials) go out gzip- or brotli-compressed; static files are
# precompressed by core/assets.py and served before Flask sees them.
compress = Compress()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
