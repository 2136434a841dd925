"""``picsellia-mock conformance --adapter CMD``: certify a client through an adapter, as a client
of the mock's conformance routes (``/__admin/conformance/``), which hold the scenarios and grade
them (``mockserver.certification``)."""
