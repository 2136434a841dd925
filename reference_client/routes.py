"""Every path the client calls, by the ``operationId`` of ``schemas/openapi.json``.

Written out here, rather than read from the OpenAPI document, so that the client reads like the
protocol and a porter can copy the table; ``tests/test_client_requests.py`` checks each path
against the operation of the same id in the document.
"""

ROUTES = {
    "servingLogin": "/api/login",
    "monitoringLogin": "/api/auth/login",
    "predict": "/api/deployments/{id}/predict",  # the current SDK
    "predictSingular": "/api/deployment/{id}/predict",  # the vendor guide, SDK 6.10
    "predictCloudImage": "/api/v2/deployments/{id}/predict",
    "predictShadow": "/api/v2/deployments/{id}/predict/shadow",
    "monitorPrediction": "/api/deployment/{id}/predictions",
    "shadowPrediction": "/api/prediction/{prediction_id}/shadow",
    "deploymentInfo": "/api/deployment/{id}",
    "deploymentStats": "/api/deployment/{id}/stats",
    "predictionStats": "/api/deployment/{id}/predictions/stats",
}
LOGIN = {"serving": "servingLogin", "monitoring": "monitoringLogin"}


def path(operation_id: str, **parameters: str) -> str:
    """The path of an operation with its parameters filled in."""
    return ROUTES[operation_id].format(**parameters)
