"""Build @ctes XML: every message we emit is serialised in ISO-8859-1 and validated against the schema."""

from .messages import Message
from .schema import assert_valid
from .xmlbuild import to_bytes

__all__ = ["build_message"]


def build_message(message: Message) -> bytes:
    """Serialise ``message`` (any message or envelope) as ISO-8859-1 XML bytes.

    :raises SchemaValidationError: the result does not validate against ``actesv1_1.xsd``
        (for example an ``Objet`` over 500 characters or a malformed ``IDActe``).
    """
    root = message.to_element()
    assert_valid(root)
    return to_bytes(root)
