"""Exercise: ``EmbeddingModel.forward(target_ids)`` creates the embedding matrix and looks up rows."""
from __future__ import annotations

import numpy as np

from checks.exercise import Exercise
from checks.learner_code import kind_phrase, recording_calls, snapshot


class Forward(Exercise):
    name = "forward"
    skeleton_path = "EmbeddingModel.forward"
    skeleton = '''\
# Skip-gram embedding model
class EmbeddingModel(object):
    # Model Initialization
    def __init__(self, vocab_size, embedding_dim):
        self.vocab_size = vocab_size
        self.embedding_dim = embedding_dim
        self.tokenizer = tf.keras.preprocessing.text.Tokenizer(num_words=self.vocab_size)

    # Forward run of the embedding model to retrieve embeddings
    def forward(self, target_ids):
        initializer = get_initializer(self.embedding_dim, self.vocab_size)
        # CODE HERE
        pass
'''
    expects = "your EmbeddingModel class"
    hint_text = (
        "Two steps after the line that calls `get_initializer`: store the variable with "
        "`self.embedding_matrix = tf.compat.v1.get_variable('embedding_matrix', initializer=initializer)` "
        "(no `shape=`: the initializer tensor gives it), then return "
        "`tf.nn.embedding_lookup(self.embedding_matrix, target_ids)`."
    )
    solution_code = '''\
    def forward(self, target_ids):
        initializer = get_initializer(self.embedding_dim, self.vocab_size)
        self.embedding_matrix = tf.compat.v1.get_variable(
            'embedding_matrix', initializer=initializer)
        embeddings = tf.compat.v1.nn.embedding_lookup(self.embedding_matrix, target_ids)
        return embeddings
'''

    def cases(self) -> list[dict]:
        # forward is judged with a stand-in get_initializer whose values the grader chose, so a
        # mistake in the learner's get_initializer never costs forward its marks.
        rng = np.random.default_rng(2024)

        def case(vocab_size, embedding_dim, ids, as_numpy=False):
            bound = 0.5 / embedding_dim
            initial = rng.uniform(-bound, bound, (vocab_size, embedding_dim)).astype(np.float32)
            return {"vocab_size": vocab_size, "embedding_dim": embedding_dim, "initial": initial,
                    "ids": np.asarray(ids, dtype=np.int64 if as_numpy else np.int32), "ids_as_numpy": as_numpy}

        return [
            case(12, 5, [3, 0, 7, 3, 11]),
            case(30, 4, [[1, 2, 3], [29, 2, 2]]),
            case(6, 9, [5, 5, 0, 1], as_numpy=True),
            case(50, 16, 42),
        ]

    def answer_problem(self, answer) -> str | None:
        if not isinstance(answer, type) or not callable(getattr(answer, "forward", None)):
            return (f"check() needs {self.expects} itself, as in `check(EmbeddingModel)`; "
                    f"it got {type(answer).__name__}.")
        return None

    def filled_in(self, answer):
        return answer.forward

    def observe(self, answer, case: dict) -> dict:
        import tensorflow as tf

        namespace = answer.forward.__globals__
        had_own, own = "get_initializer" in namespace, namespace.get("get_initializer")
        made = []

        def stand_in(embedding_dim, vocab_size):
            made.append(tf.constant(case["initial"]))
            return made[-1]

        get_variable_calls: list = []
        namespace["get_initializer"] = stand_in
        try:
            with recording_calls([(tf.compat.v1, "get_variable")], get_variable_calls):
                model = answer(case["vocab_size"], case["embedding_dim"])
                ids = case["ids"] if case["ids_as_numpy"] else tf.constant(case["ids"])
                returned = model.forward(ids)
        finally:
            if had_own:
                namespace["get_initializer"] = own
            else:
                del namespace["get_initializer"]
        attribute = getattr(model, "embedding_matrix", None)
        return {
            "returned": snapshot(returned),
            "has_attribute": hasattr(model, "embedding_matrix"),
            "attribute": snapshot(attribute),
            "attribute_from_get_variable": any(result is attribute for _, _, result in get_variable_calls),
            "get_variable_called": bool(get_variable_calls),
        }

    def judge(self, case: dict, observation: dict) -> str | None:
        ids, initial = case["ids"], case["initial"]
        v, d = case["vocab_size"], case["embedding_dim"]
        where = f"For vocab_size={v}, embedding_dim={d} and target_ids={ids.tolist()}"
        return (_judge_matrix(observation, initial, where)
                or _judge_embeddings(observation["returned"], initial, ids, d, where))


def _judge_matrix(observation: dict, initial: np.ndarray, where: str) -> str | None:
    if not observation["has_attribute"]:
        return (f"{where}, forward did not set self.embedding_matrix. Store the variable on the model "
                "(self.embedding_matrix = ...), not in a local name.")
    matrix = observation["attribute"]
    if matrix["kind"] != "variable":
        return (f"{where}, self.embedding_matrix is {kind_phrase(matrix)}; it should be the tf.Variable "
                "that tf.compat.v1.get_variable returns.")
    if not observation["attribute_from_get_variable"]:
        how = ("get_variable was called, but self.embedding_matrix is not the variable it returned"
               if observation["get_variable_called"] else "it was not made by tf.compat.v1.get_variable")
        return f"{where}, self.embedding_matrix is a variable, but {how}. Create it with tf.compat.v1.get_variable."
    short_name = matrix["name"].rsplit("/", 1)[-1].split(":")[0]
    if short_name != "embedding_matrix":
        return f"{where}, the variable is named '{short_name}'; name it 'embedding_matrix'."
    if tuple(matrix["shape"]) != initial.shape:
        return (f"{where}, the variable has shape {matrix['shape']}; expected {initial.shape}, the shape of "
                "the tensor get_initializer returned. Pass initializer=initializer and no shape.")
    if not np.array_equal(matrix["values"], initial):
        return (f"{where}, the variable does not hold the values get_initializer returned. Pass "
                "initializer=initializer to get_variable: without it, get_variable falls back to its "
                "Glorot uniform default.")
    return None


def _judge_embeddings(got: dict, matrix: np.ndarray, ids: np.ndarray, d: int, where: str) -> str | None:
    expected_shape = ids.shape + (d,)
    if got["kind"] == "None":
        return f"{where}, forward returned None. Return the embeddings you looked up."
    if got["kind"] == "variable":
        return (f"{where}, forward returned the variable {got['name']} itself. Return only the rows for "
                "target_ids: tf.nn.embedding_lookup(self.embedding_matrix, target_ids).")
    if got["kind"] == "ndarray":
        return (f"{where}, forward returned {kind_phrase(got)}. Return the tf.Tensor from "
                "tf.nn.embedding_lookup, so that gradients can flow back to the matrix.")
    if got["kind"] != "tensor":
        return f"{where}, forward returned {kind_phrase(got)}, not a tf.Tensor of embeddings."
    if got["dtype"] != "float32":
        return f"{where}, the embeddings have dtype {got['dtype']}; they should keep the matrix's float32."
    shape = tuple(got["shape"])
    if shape != expected_shape:
        if shape == matrix.shape:
            return (f"{where}, forward returned the whole matrix {shape}, not the rows for target_ids "
                    f"{expected_shape}.")
        if len(ids.shape) > 1 and shape == (ids.size, d):
            return (f"{where}, the result has shape {shape}: the ids were flattened. The lookup keeps "
                    f"the ids' shape and adds embedding_dim: {expected_shape}.")
        if ids.ndim >= 1 and len(shape) == 2 and shape[0] < ids.size and shape[1] == d:
            return (f"{where}, you returned {shape[0]} rows for {ids.size} ids: a repeated id must give "
                    f"its row again each time. Expected shape {expected_shape}.")
        return f"{where}, the embeddings have shape {shape}; expected {expected_shape} (ids' shape + embedding_dim)."
    expected = matrix[ids]
    if np.array_equal(got["values"], expected):
        return None
    return f"{where}, {_describe_wrong_rows(got['values'], matrix, ids)}"


def _describe_wrong_rows(values: np.ndarray, matrix: np.ndarray, ids: np.ndarray) -> str:
    flat_ids = ids.reshape(-1)
    rows = values.reshape(-1, matrix.shape[1])
    for position, (wanted, row) in enumerate(zip(flat_ids, rows)):
        if np.array_equal(row, matrix[wanted]):
            continue
        found = np.flatnonzero((matrix == row).all(axis=1))
        if found.size:
            return (f"at position {position} (id {wanted}) you returned row {found[0]} of the matrix, "
                    f"not row {wanted}. The lookup must return row i of the matrix for id i.")
        return (f"at position {position} (id {wanted}) the returned vector is not a row of the embedding "
                "matrix. Look rows up with tf.nn.embedding_lookup(self.embedding_matrix, target_ids).")
    return "the embeddings differ from the rows of the matrix at target_ids."
