#!/usr/bin/env python3
"""A minimal Sieve client in Python, generated from the proto (docs/integrations.md, "Other languages").

Usage:
  ./generate.sh OUT_DIR                      # stubs from proto/src/main/proto into OUT_DIR
  PYTHONPATH=OUT_DIR ./sieve_client.py --target 127.0.0.1:50051 https://www.pokerstars.com/
  PYTHONPATH=OUT_DIR ./sieve_client.py --target 127.0.0.1:50051 --list-categories

Prints one line per URL: the URL, the action, the primary category and whether the wellness alert is
raised. Errors are branched on the gRPC status code (INVALID_ARGUMENT for a malformed URL,
RESOURCE_EXHAUSTED when the router sheds load, ...), never on the message text. Exit code 0 when every
call succeeded, 1 otherwise.
"""
import argparse
import sys

import grpc

from sieve.v1 import classifier_pb2, classifier_pb2_grpc


def classify(stub, url, tenant, deadline_s):
    request = classifier_pb2.ClassifyRequest(url=url, tenant_id=tenant)
    response = stub.Classify(request, timeout=deadline_s)
    action = classifier_pb2.Action.Name(response.action)
    return "{}\taction={}\tprimary={}\talert={}".format(
        url, action, response.primary_category or "-", str(response.alert).lower())


def main(argv):
    parser = argparse.ArgumentParser(description="Classify URLs with a Sieve router over gRPC.")
    parser.add_argument("--target", default="127.0.0.1:50051", help="router host:port")
    parser.add_argument("--tenant", default="", help="tenant id (default policy when empty)")
    parser.add_argument("--deadline", type=float, default=5.0, help="seconds per call")
    parser.add_argument("--list-categories", action="store_true", help="print the taxonomy and exit")
    parser.add_argument("urls", nargs="*")
    args = parser.parse_args(argv)

    failures = 0
    with grpc.insecure_channel(args.target) as channel:
        stub = classifier_pb2_grpc.ClassifierStub(channel)
        if args.list_categories:
            reply = stub.ListCategories(classifier_pb2.ListCategoriesRequest(tenant_id=args.tenant),
                                        timeout=args.deadline)
            for category in reply.categories:
                print("{}\t{}".format(category.id, category.display_name))
            return 0
        for url in args.urls:
            try:
                print(classify(stub, url, args.tenant, args.deadline))
            except grpc.RpcError as error:
                failures += 1
                code = error.code()
                if code == grpc.StatusCode.INVALID_ARGUMENT:
                    print("{}\trejected\t{}".format(url, error.details()))
                elif code in (grpc.StatusCode.RESOURCE_EXHAUSTED, grpc.StatusCode.UNAVAILABLE,
                              grpc.StatusCode.DEADLINE_EXCEEDED):
                    print("{}\tretry later\t{}".format(url, code.name))
                else:
                    print("{}\terror\t{}: {}".format(url, code.name, error.details()))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
