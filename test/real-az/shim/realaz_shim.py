"""Loaded into the real Azure CLI by the real-az tier's `az` wrapper (test setup only, never the product).

1. Routing: every HTTP request az makes goes through requests' HTTPAdapter.send: azure-core's
   RequestsTransport (ARM), az's own send_raw_request (Microsoft Graph), MSAL Python's default
   requests.Session (Entra ID) and msrestazure's MSIAuthentication (IMDS). The patched send sends the
   request, whatever its host, to the stand-in on 127.0.0.1 and names the original host in
   `X-Stand-In-Host`. az still believes it talks to login.microsoftonline.com and management.azure.com,
   so the cloud stays AzureCloud and tokens carry the public audiences.
2. Guard: socket.getaddrinfo and socket.connect refuse anything but loopback, so a code path that does
   not use requests (urllib's urlopen in azure/cli/core/util.py, a telemetry upload) fails instead of
   reaching the network.
3. Debian's azure-cli 2.45 ships with azure-mgmt-authorization 3.0.0, whose generated operation
   classes keep their configuration in `_config`; az 2.45's role module still reads `.config`
   (azure/cli/command_modules/role/custom.py: `assignments_client.config.subscription_id`), so every
   `az role assignment` command dies with "AttributeError: 'RoleAssignmentsOperations' object has no
   attribute 'config'". A read-only `config` property pointing at `_config` restores what az expects.

Both patches are applied lazily, when az imports the module, so commands that never touch HTTP or the
role module do not pay for importing them.
"""
import importlib.abc
import importlib.machinery
import ipaddress
import os
import re
import socket
import sys

_INSTALLED = 'realaz_shim_installed'
STAND_IN = os.environ.get('REAL_AZ_STAND_IN', '')  # "127.0.0.1:<port>"


class NetworkBlocked(OSError):
    pass


def _is_loopback(host):
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode('ascii', 'replace')
    host = host.strip('[]').lower()
    if host in ('localhost', 'localhost.localdomain', ''):
        return True
    try:
        return ipaddress.ip_address(host.split('%')[0]).is_loopback
    except ValueError:
        return False


def _guard_sockets():
    real_getaddrinfo = socket.getaddrinfo
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def getaddrinfo(host, *args, **kwargs):
        if not _is_loopback(host):
            raise socket.gaierror(socket.EAI_NONAME, 'real-az shim: %s is not loopback; the stand-in answers for Azure' % (host,))
        return real_getaddrinfo(host, *args, **kwargs)

    def _check(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address[0]):
            raise NetworkBlocked('real-az shim: refusing to connect to %s (loopback only)' % (address[0],))

    def connect(self, address):
        _check(self, address)
        return real_connect(self, address)

    def connect_ex(self, address):
        _check(self, address)
        return real_connect_ex(self, address)

    real_sendto = socket.socket.sendto

    def sendto(self, data, *args):
        # sendto(data, address) or sendto(data, flags, address): a datagram to a resolver or anything else.
        _check(self, args[-1])
        return real_sendto(self, data, *args)

    socket.getaddrinfo = getaddrinfo
    socket.socket.connect = connect
    socket.socket.connect_ex = connect_ex
    socket.socket.sendto = sendto


def _patch_requests(adapters):
    from urllib.parse import urlsplit, urlunsplit

    real_send = adapters.HTTPAdapter.send
    if getattr(real_send, '_realaz', False):
        return

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        if not STAND_IN:
            raise adapters.ConnectionError('real-az shim: REAL_AZ_STAND_IN is not set, so there is nowhere to send %s' % request.url)
        original = request.url
        parts = urlsplit(original)
        routed = request.copy()
        routed.url = urlunsplit(('http', STAND_IN, parts.path or '/', parts.query, ''))
        routed.headers['X-Stand-In-Host'] = parts.netloc
        routed.headers['X-Stand-In-Scheme'] = parts.scheme
        # No proxy and no TLS: the stand-in is plain HTTP on loopback, whatever HTTPS_PROXY says.
        response = real_send(self, routed, stream=stream, timeout=timeout, verify=False, cert=None, proxies={})
        response.request = request
        response.url = original
        return response

    send._realaz = True
    adapters.HTTPAdapter.send = send


def _config_property(self):
    return self._config


def _patch_authorization_operations(module):
    for value in list(vars(module).values()):
        if isinstance(value, type) and value.__name__.endswith('Operations') and 'config' not in dir(value):
            value.config = property(_config_property)


_HOOKS = [(re.compile(r'^requests\.adapters$'), _patch_requests)]
# REAL_AZ_SHIM_NO_CONFIG_PATCH=1 leaves the Debian packaging bug in place, to see that it is still there.
if not os.environ.get('REAL_AZ_SHIM_NO_CONFIG_PATCH'):
    _HOOKS.append((re.compile(r'^azure\.mgmt\.authorization\.v[0-9a-z_]+\.(aio\.)?operations$'), _patch_authorization_operations))


class _PatchingLoader(importlib.abc.Loader):
    def __init__(self, loader, hook):
        self._loader = loader
        self._hook = hook

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        self._loader.exec_module(module)
        self._hook(module)

    def __getattr__(self, name):
        return getattr(self._loader, name)


class _PostImportFinder(importlib.abc.MetaPathFinder):
    """Runs a patch right after a matching module is executed."""

    def find_spec(self, fullname, path, target=None):
        hook = next((fn for pattern, fn in _HOOKS if pattern.match(fullname)), None)
        if hook is None:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, 'find_spec'):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, 'exec_module'):
                    spec.loader = _PatchingLoader(spec.loader, hook)
                return spec
        return None


def install():
    if getattr(sys, _INSTALLED, False):
        return
    setattr(sys, _INSTALLED, True)
    _guard_sockets()
    sys.meta_path.insert(0, _PostImportFinder())
    for pattern, hook in _HOOKS:
        for name, module in list(sys.modules.items()):
            if module is not None and pattern.match(name):
                hook(module)


def selfcheck():
    """What realAzAvailable() runs: the az packages import and both patches take."""
    install()
    import azure.cli.core  # noqa: F401
    import msal  # noqa: F401
    import requests.adapters
    assert getattr(requests.adapters.HTTPAdapter.send, '_realaz', False), 'requests is not routed'
    from azure.mgmt.authorization.v2020_04_01_preview.operations import RoleAssignmentsOperations
    assert hasattr(RoleAssignmentsOperations, 'config'), 'the Operations.config patch did not apply'
    try:
        socket.getaddrinfo('management.azure.com', 443)
    except socket.gaierror:
        pass
    else:
        raise AssertionError('the loopback guard let a public name resolve')
    print('ok')


install()
