"""Flask extensions, created unbound here and initialised in create_app()."""

from flask import request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

TOKEN_LIMIT = "60 per minute"  # requests per minute per client on each link page


class Base(DeclarativeBase):
    """Declarative base for every model; named constraints keep migrations portable."""

    metadata = MetaData(naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    })


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()


def _not_a_link_page() -> bool:
    """True unless the request is for a page whose credential is a personal link (token)."""
    from .privacy.audiences import audience_of

    return audience_of(request.endpoint) != "token"


# Every link page is limited per client and page (docs/design.md §3.8), new ones included:
# the default applies wherever a view or blueprint declares no limit of its own.
limiter = Limiter(key_func=get_remote_address, default_limits=[TOKEN_LIMIT],
                  default_limits_exempt_when=_not_a_link_page)
