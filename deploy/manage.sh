#!/bin/sh
# manage.py as the appraisal user, with the services' environment. Install:
#   ln -s /srv/appraisal/app/deploy/manage.sh /usr/local/bin/appraisal-manage
# then e.g. `appraisal-manage migrate`.
set -e
exec sudo -u appraisal sh -c 'set -a; . /etc/appraisal.env; set +a; cd /srv/appraisal/app && exec /srv/appraisal/.venv/bin/python manage.py "$@"' manage "$@"
