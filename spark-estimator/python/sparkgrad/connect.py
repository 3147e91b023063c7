"""Loading saved sparkgrad stages through Spark Connect.

pyspark.ml.connect.readwrite.RemoteMLReader asks the server for the Java class it derives from
the Python module name ("pyspark..." -> "org.apache.spark..."), which cannot name our stages. This
reader sends the same Read command with the Java class name from sparkgrad.mlp.JAVA_CLASSES. The
server then finds the class through META-INF/services (Spark's ML ServiceLoader registry).
"""

from typing import Any, Type

from pyspark.ml.util import MLReader

__all__ = ["ConnectReader"]


class ConnectReader(MLReader):
    """Reads an MLPEstimator or MLPModel saved at a path the Connect server can see."""

    def __init__(self, clazz: Type[Any], java_class: str):
        super().__init__()
        self._clazz = clazz
        self._java_class = java_class

    def load(self, path: str) -> Any:
        import pyspark.sql.connect.proto as pb2
        from pyspark.ml.connect.serialize import deserialize, deserialize_param
        from pyspark.ml.util import RemoteModelRef
        from pyspark.ml.wrapper import JavaModel
        from pyspark.sql.connect.session import SparkSession

        session = SparkSession.getActiveSession()
        if session is None:
            raise RuntimeError("No active Spark Connect session to load " + path + " with.")
        is_model = issubclass(self._clazz, JavaModel)
        kind = "OPERATOR_TYPE_MODEL" if is_model else "OPERATOR_TYPE_ESTIMATOR"
        operator = pb2.MlOperator(name=self._java_class, type=getattr(pb2.MlOperator, kind))
        command = pb2.Command()
        command.ml_command.read.CopyFrom(pb2.MlCommand.Read(operator=operator, path=path))
        _, properties, _ = session.client.execute_command(command)
        result = deserialize(properties)
        instance = self._clazz(RemoteModelRef(result.obj_ref.id)) if is_model else self._clazz()
        instance._resetUid(result.uid)
        instance._set(**{k: deserialize_param(v) for k, v in result.params.params.items()})
        return instance
