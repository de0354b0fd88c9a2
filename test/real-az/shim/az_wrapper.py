"""The body of the `az` that test/support/real-az.ts puts first on PATH: it runs the real Azure CLI in this
process, with realaz_shim loaded, and appends one line per call to $FAKE_AZ_LOG in the fake az's format:
{"argv": [<arguments after az>], "start": ms, "end": ms, "exitCode": N, "cwd": "..."}.

Running az's own entry script in-process (runpy) instead of exec'ing it keeps the cost of the wrapper to
a few milliseconds on top of az's ~1 s Python start-up.
"""
import json
import os
import sys
import time

# Settings every call gets, whatever the caller's environment says: nothing phones home,
# no colour. az reads AZURE_<SECTION>_<OPTION> before its config file (azure/cli/core/_config.py, knack config).
_AZ_SETTINGS = {
    'AZURE_CORE_COLLECT_TELEMETRY': 'false',
    'AZURE_CORE_SURVEY_MESSAGE': 'false',
    'AZURE_CORE_NO_COLOR': 'true',
    'AZURE_LOGGING_ENABLE_LOG_FILE': 'false',
}


def main(stand_in, real_az, mode, shim_dir):
    start = time.time()
    cwd = os.getcwd()
    os.environ['REAL_AZ_STAND_IN'] = stand_in
    previous = os.environ.get('PYTHONPATH')
    os.environ['PYTHONPATH'] = shim_dir if not previous else shim_dir + os.pathsep + previous
    os.environ.update(_AZ_SETTINGS)
    for name in ('ARM_CLOUD_METADATA_URL', 'MSI_ENDPOINT', 'MSI_SECRET', 'APPSETTING_WEBSITE_SITE_NAME'):
        # Each would send az elsewhere than the stand-in's IMDS/clouds (msrestazure, azure/cli/core/cloud.py).
        os.environ.pop(name, None)

    import realaz_shim  # noqa: F401  (installs the router, the loopback guard and the config patch)

    argv = sys.argv[1:]
    exit_code = 1
    try:
        import runpy
        if mode == 'script':
            # Debian's /usr/bin/az: sets PYTHONPATH and AZ_INSTALLER=DEB, then runpy.run_module('azure.cli').
            sys.argv[0] = real_az
            runpy.run_path(real_az, run_name='__main__')
        else:
            sys.argv[0] = 'az'
            runpy.run_module('azure.cli', run_name='__main__', alter_sys=True)
        exit_code = 0
    except SystemExit as ex:
        code = ex.code
        exit_code = 0 if code is None else code if isinstance(code, int) else 1
        raise
    finally:
        log = os.environ.get('FAKE_AZ_LOG')
        if log:
            try:
                sys.stdout.flush()
            except Exception:  # noqa: BLE001  (a closed pipe must not hide the exit code)
                pass
            line = json.dumps({'argv': argv, 'start': int(start * 1000), 'end': int(time.time() * 1000), 'exitCode': exit_code, 'cwd': cwd}, separators=(',', ':'))
            with open(log, 'a', encoding='utf-8') as f:
                f.write(line + '\n')
