"""Flask extensions, created unbound here and initialised in create_app()."""

from typing import TYPE_CHECKING, Any, ClassVar, cast

from flask import request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import CursorResult, MetaData, Result, Table
from sqlalchemy.orm import DeclarativeBase

TOKEN_LIMIT = "60 per minute"  # requests per minute per client on each link page


class Base(DeclarativeBase):
    """Declarative base for every model; named constraints keep migrations portable."""

    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


db = SQLAlchemy(model_class=Base)

if TYPE_CHECKING:
    from flask_sqlalchemy.model import Model as _FSAModel

    class Model(_FSAModel, Base):
        """What `db.Model` is at run time, spelled out: mypy cannot take a base class from an
        attribute (python/mypy#8603), so models subclass this name instead of `db.Model`."""

        __abstract__ = True
        # Every model maps one table (DeclarativeBase says FromClause, which has no insert()).
        __table__: ClassVar[Table]
else:
    Model = db.Model

migrate = Migrate()
csrf = CSRFProtect()


def _not_a_link_page() -> bool:
    """True unless the request is for a page whose credential is a personal link (token)."""
    from .privacy.audiences import audience_of

    return audience_of(request.endpoint) != "token"


# Every link page is limited per client and page (docs/design.md §3.8), new ones included:
# the default applies wherever a view or blueprint declares no limit of its own.
limiter = Limiter(
    key_func=get_remote_address,
    default_limits=[TOKEN_LIMIT],
    default_limits_exempt_when=_not_a_link_page,
)


def rows_matched(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE run through the session matched.

    The result of one is a CursorResult; SQLAlchemy types `Session.execute()` as returning Result
    because a session cannot promise that for every statement (sqlalchemy/sqlalchemy#12913).
    """
    return cast(CursorResult[Any], result).rowcount
