"""Problems of a legacy register as a whole (row problems go in the report)."""

from __future__ import annotations

from canlian.common import tabular_import
from canlian.common.errors import InvalidInput
from canlian.common.i18n import Message


class ImportRejected(tabular_import.ImportRejected):
    title = Message(zh="台账有错误,未导入任何数据", en="The register has errors; nothing imported")


class EmptyRegister(InvalidInput):
    code = "empty-register"
    detail = Message(zh="文件只有表头,没有数据行", en="The file has a header but no data rows")
