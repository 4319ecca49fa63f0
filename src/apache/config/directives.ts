/**
 * The directives and sections (`<name`) each module adds to httpd, in lower case, keyed by the module's source
 * name as `httpd -l` prints it. Listed from the command tables of httpd 2.4's own modules (the 2.4.x branch,
 * server/ and modules/, 2.4.62 and later), of mod_wsgi (src/server/mod_wsgi.c) and of PHP's apache2handler.
 * A module missing here makes its directives unknown to wsgictl, never absent.
 */
const MODULE_DIRECTIVES: Record<string, string> = {
  'core.c': `
    <directory <directorymatch <else <elseif <files <filesmatch <if <ifdefine <ifdirective <iffile <ifmodule
    <ifsection <limit <limitexcept <location <locationmatch <virtualhost acceptfilter acceptpathinfo
    accessfilename adddefaultcharset allowencodedslashes allowoverride allowoverridelist cgipassauth cgivar
    contentdigest coredumpdirectory defaultruntimedir defaulttype define documentroot enableexceptionhook
    enablemmap enablesendfile error errordocument errorlog errorlogformat extendedstatus fileetag
    flushmaxpipelined flushmaxthreshold forcetype gprofdir hostnamelookups httpprotocoloptions include
    includeoptional limitinternalrecursion limitrequestbody limitrequestfields limitrequestfieldsize
    limitrequestline limitxmlrequestbody loglevel maxconnectionsperchild maxmemfree maxrangeoverlaps
    maxrangereversals maxranges maxrequestsperchild mergeslashes mergetrailers mutex namevirtualhost options
    pidfile port protocol protocols protocolshonororder qualifyredirecturl readbuffersize
    regexdefaultoptions registerhttpmethod rlimitcpu rlimitmem rlimitnproc scoreboardfile seerequesttail
    serveradmin serveralias servername serverpath serverroot serversignature servertokens sethandler
    setinputfilter setoutputfilter stricthostcheck threadstacksize timeout traceenable unclist undefine
    usecanonicalname usecanonicalphysicalport`,
  'event.c': `
    asyncrequestworkerfactor listen listenbacklog listencoresbucketsratio maxclients maxrequestworkers
    maxsparethreads minsparethreads receivebuffersize sendbuffersize serverlimit startservers threadlimit
    threadsperchild`,
  'http_core.c': 'keepalive keepalivetimeout maxkeepaliverequests',
  'mod_access_compat.c': 'allow deny order satisfy',
  'mod_actions.c': 'action script',
  'mod_alias.c': `
    alias aliasmatch aliaspreservepath redirect redirectmatch redirectpermanent redirectrelative
    redirecttemp scriptalias scriptaliasmatch`,
  'mod_allowmethods.c': 'allowmethods',
  'mod_asis.c': '',
  'mod_auth_basic.c': 'authbasicauthoritative authbasicfake authbasicprovider authbasicusedigestalgorithm',
  'mod_auth_digest.c': `
    authdigestalgorithm authdigestdomain authdigestnccheck authdigestnonceformat authdigestnoncelifetime
    authdigestprovider authdigestqop authdigestshmemsize authname`,
  'mod_auth_form.c': `
    authformauthoritative authformbody authformdisablenostore authformfakebasicauth authformlocation
    authformloginrequiredlocation authformloginsuccesslocation authformlogoutlocation authformmethod
    authformmimetype authformpassword authformprovider authformsitepassphrase authformsize authformusername`,
  'mod_authn_anon.c': `
    anonymous anonymous_logemail anonymous_mustgiveemail anonymous_nouserid anonymous_verifyemail`,
  'mod_authn_core.c': '<authnprovideralias authname authtype',
  'mod_authn_dbd.c': 'authdbduserpwquery authdbduserrealmquery',
  'mod_authn_dbm.c': 'authdbmtype authdbmuserfile',
  'mod_authn_file.c': 'authuserfile',
  'mod_authn_socache.c': `
    authncachecontext authncacheenable authncacheprovidefor authncachesocache authncachetimeout`,
  'mod_authnz_fcgi.c': 'authnzfcgicheckauthnprovider authnzfcgidefineprovider',
  'mod_authnz_ldap.c': `
    authldapauthorizeprefix authldapbindauthoritative authldapbinddn authldapbindpassword
    authldapcharsetconfig authldapcompareasuser authldapcomparednonserver authldapdereferencealiases
    authldapgroupattribute authldapgroupattributeisdn authldapinitialbindasuser authldapinitialbindpattern
    authldapmaxsubgroupdepth authldapremoteuserattribute authldapremoteuserisdn authldapsearchasuser
    authldapsubgroupattribute authldapsubgroupclass authldapurl`,
  'mod_authz_core.c': `
    <authzprovideralias <requireall <requireany <requirenone <requirenotall authmerging
    authzsendforbiddenonfailure require`,
  'mod_authz_dbd.c': 'authzdbdlogintoreferer authzdbdquery authzdbdredirectquery',
  'mod_authz_dbm.c': 'authdbmgroupfile authzdbmtype',
  'mod_authz_groupfile.c': 'authgroupfile',
  'mod_authz_host.c': '',
  'mod_authz_owner.c': '',
  'mod_authz_user.c': '',
  'mod_autoindex.c': `
    addalt addaltbyencoding addaltbytype adddescription addicon addiconbyencoding addiconbytype defaulticon
    fancyindexing headername indexheadinsert indexignore indexignorereset indexoptions indexorderdefault
    indexstylesheet readmename`,
  'mod_brotli.c': `
    brotlialteretag brotlicompressionmaxinputblock brotlicompressionquality brotlicompressionwindow
    brotlifilternote`,
  'mod_bucketeer.c': '',
  'mod_buffer.c': 'buffersize',
  'mod_cache.c': `
    cachedefaultexpire cachedetailheader cachedisable cacheenable cacheheader cacheignorecachecontrol
    cacheignoreheaders cacheignorenolastmod cacheignorequerystring cacheignoreurlsessionidentifiers
    cachekeybaseurl cachelastmodifiedfactor cachelock cachelockmaxage cachelockpath cachemaxexpire
    cacheminexpire cachequickhandler cachestaleonerror cachestoreexpired cachestorenostore cachestoreprivate`,
  'mod_cache_disk.c': `
    cachedirlength cachedirlevels cachemaxfilesize cacheminfilesize cachereadsize cachereadtime cacheroot`,
  'mod_cache_socache.c': `
    cachesocache cachesocachemaxsize cachesocachemaxtime cachesocachemintime cachesocachereadsize
    cachesocachereadtime`,
  'mod_cern_meta.c': 'metadir metafiles metasuffix',
  'mod_cgi.c': 'cgiscripttimeout scriptlog scriptlogbuffer scriptloglength',
  'mod_cgid.c': 'cgidscripttimeout scriptlog scriptlogbuffer scriptloglength scriptsock',
  'mod_charset_lite.c': 'charsetdefault charsetoptions charsetsourceenc',
  'mod_data.c': '',
  'mod_dav.c': 'dav davbasepath davdepthinfinity davlockdiscovery davmintimeout',
  'mod_dav_fs.c': 'davlockdb',
  'mod_dav_lock.c': 'davgenericlockdb',
  'mod_dbd.c': 'dbdexptime dbdinitsql dbdkeep dbdmax dbdmin dbdparams dbdpersist dbdpreparesql dbdriver',
  'mod_deflate.c': `
    deflatealteretag deflatebuffersize deflatecompressionlevel deflatefilternote
    deflateinflatelimitrequestbody deflateinflateratioburst deflateinflateratiolimit deflatememlevel
    deflatewindowsize`,
  'mod_dir.c': 'directorycheckhandler directoryindex directoryindexredirect directoryslash fallbackresource',
  'mod_dumpio.c': 'dumpioinput dumpiooutput',
  'mod_echo.c': 'protocolecho',
  'mod_env.c': 'passenv setenv unsetenv',
  'mod_expires.c': 'expiresactive expiresbytype expiresdefault',
  'mod_ext_filter.c': 'extfilterdefine extfilteroptions',
  'mod_file_cache.c': 'cachefile mmapfile',
  'mod_filter.c': 'addoutputfilterbytype filterchain filterdeclare filterprotocol filterprovider filtertrace',
  'mod_headers.c': 'header requestheader',
  'mod_heartbeat.c': 'heartbeataddress',
  'mod_heartmonitor.c': 'heartbeatlisten heartbeatmaxservers heartbeatstorage',
  'mod_http2.c': `
    h2copyfiles h2direct h2earlyhint h2earlyhints h2maxdataframelen h2maxsessionstreams
    h2maxworkeridleseconds h2maxworkers h2minworkers h2moderntlsonly h2outputbuffering h2padding
    h2proxyrequests h2push h2pushdiarysize h2pushpriority h2pushresource h2serializeheaders
    h2sessionextrafiles h2streammaxmemsize h2streamtimeout h2tlscooldownsecs h2tlswarmupsize h2upgrade
    h2websockets h2windowsize`,
  'mod_ident.c': 'identitycheck identitychecktimeout',
  'mod_imagemap.c': 'imapbase imapdefault imapmenu',
  'mod_include.c': `
    ssiendtag ssierrormsg ssietag ssilastmodified ssilegacyexprparser ssistarttag ssitimeformat
    ssiundefinedecho xbithack`,
  'mod_info.c': 'addmoduleinfo',
  'mod_isapi.c': `
    isapiappendlogtoerrors isapiappendlogtoquery isapicachefile isapifakeasync isapilognotsupported
    isapireadaheadbuffer`,
  'mod_lbmethod_bybusyness.c': '',
  'mod_lbmethod_byrequests.c': '',
  'mod_lbmethod_bytraffic.c': '',
  'mod_lbmethod_heartbeat.c': 'heartbeatstorage',
  'mod_log_config.c': 'bufferedlogs customlog globallog logformat transferlog',
  'mod_log_debug.c': 'logmessage',
  'mod_log_forensic.c': 'forensiclog',
  'mod_logio.c': 'logiotrackttfb',
  'mod_lua.c': `
    <luahookaccesschecker <luahookauthchecker <luahookcheckuserid <luahookfixups <luahookmaptostorage
    <luahookpretranslatename <luahooktranslatename <luahooktypechecker <luaquickhandler lua_____bytecodehack
    luaauthzprovider luacodecache luahookaccesschecker luahookauthchecker luahookcheckuserid luahookfixups
    luahookinsertfilter luahooklog luahookmaptostorage luahookpretranslatename luahooktranslatename
    luahooktypechecker luainherit luainputfilter luamaphandler luaoutputfilter luapackagecpath
    luapackagepath luaquickhandler luaroot luascope`,
  'mod_macro.c': '<macro undefmacro use',
  'mod_md.c': `
    mdactivationdelay mdbaseserver mdcacertificatefile mdcachallenges mdcertificateagreement
    mdcertificateauthority mdcertificatecheck mdcertificatefile mdcertificatekeyfile mdcertificateprotocol
    mdcertificatestatus mdchallengedns01 mdchallengedns01version mdcheckinterval mdcontactemail mddrivemode
    mdexternalaccountbinding mdhttpproxy mdmatchnames mdmember mdmembers mdmessagecmd mdmuststaple
    mdnotifycmd mdomain mdportmap mdprivatekeys mdrenewmode mdrenewwindow mdrequirehttps mdretrydelay
    mdretryfailover mdserverstatus mdstapleothers mdstapling mdstaplingkeepresponse mdstaplingrenewwindow
    mdstoredir mdstorelocks mdwarnwindow`,
  'mod_mime.c': `
    addcharset addencoding addhandler addinputfilter addlanguage addoutputfilter addtype defaultlanguage
    modmimeusepathinfo multiviewsmatch removecharset removeencoding removehandler removeinputfilter
    removelanguage removeoutputfilter removetype typesconfig`,
  'mod_mime_magic.c': 'mimemagicfile',
  'mod_negotiation.c': 'cachenegotiateddocs forcelanguagepriority languagepriority',
  'mod_php.c': 'php_admin_flag php_admin_value php_flag php_value',
  'mod_php5.c': 'php_admin_flag php_admin_value php_flag php_value',
  'mod_php7.c': 'php_admin_flag php_admin_value php_flag php_value',
  'mod_privileges.c': `
    dtraceprivileges privilegesmode vhostcgimode vhostcgiprivs vhostgroup vhostprivs vhostsecure vhostuser`,
  'mod_proxy.c': `
    <proxy <proxymatch balancergrowth balancerinherit balancermember balancerpersist noproxy
    proxy100continue proxyaddheaders proxybadheader proxyblock proxydomain proxyerroroverride
    proxyiobuffersize proxymaxforwards proxypass proxypassinherit proxypassinterpolateenv proxypassmatch
    proxypassreverse proxypassreversecookiedomain proxypassreversecookiepath proxypreservehost
    proxyreceivebuffersize proxyremote proxyremotematch proxyrequests proxyset proxysourceaddress
    proxystatus proxytimeout proxyvia`,
  'mod_proxy_ajp.c': '',
  'mod_proxy_balancer.c': '',
  'mod_proxy_connect.c': 'allowconnect',
  'mod_proxy_express.c': 'proxyexpressdbmfile proxyexpressdbmtype proxyexpressenable',
  'mod_proxy_fcgi.c': 'proxyfcgibackendtype proxyfcgisetenvif',
  'mod_proxy_fdpass.c': '',
  'mod_proxy_ftp.c': 'proxyftpdircharset proxyftpescapewildcards proxyftplistonwildcard',
  'mod_proxy_hcheck.c': 'proxyhcexpr proxyhctemplate proxyhctpsize',
  'mod_proxy_html.c': `
    proxyhtmlbufsize proxyhtmlcharsetout proxyhtmldoctype proxyhtmlenable proxyhtmlevents proxyhtmlextended
    proxyhtmlfixups proxyhtmlinterp proxyhtmllinks proxyhtmlmeta proxyhtmlstripcomments proxyhtmlurlmap`,
  'mod_proxy_http.c': '',
  'mod_proxy_http2.c': '',
  'mod_proxy_scgi.c': 'proxyscgiinternalredirect proxyscgisendfile',
  'mod_proxy_uwsgi.c': '',
  'mod_proxy_wstunnel.c': 'proxywebsocketfallbacktoproxyhttp',
  'mod_ratelimit.c': '',
  'mod_reflector.c': 'reflectorheader',
  'mod_remoteip.c': `
    remoteipheader remoteipinternalproxy remoteipinternalproxylist remoteipproxiesheader
    remoteipproxyprotocol remoteipproxyprotocolexceptions remoteiptrustedproxy remoteiptrustedproxylist`,
  'mod_reqtimeout.c': 'requestreadtimeout',
  'mod_request.c': 'keptbodysize',
  'mod_rewrite.c': 'rewritebase rewritecond rewriteengine rewritemap rewriteoptions rewriterule',
  'mod_sed.c': 'inputsed outputsed',
  'mod_session.c': `
    session sessionenv sessionexclude sessionexpiryupdateinterval sessionheader sessioninclude sessionmaxage`,
  'mod_session_cookie.c': 'sessioncookiename sessioncookiename2 sessioncookieremove',
  'mod_session_crypto.c': `
    sessioncryptocipher sessioncryptodriver sessioncryptopassphrase sessioncryptopassphrasefile`,
  'mod_session_dbd.c': `
    sessiondbdcookiename sessiondbdcookiename2 sessiondbdcookieremove sessiondbddeletelabel
    sessiondbdinsertlabel sessiondbdperuser sessiondbdselectlabel sessiondbdupdatelabel`,
  'mod_setenvif.c': 'browsermatch browsermatchnocase setenvif setenvifexpr setenvifnocase',
  'mod_slotmem_plain.c': '',
  'mod_slotmem_shm.c': '',
  'mod_so.c': 'loadfile loadmodule',
  'mod_socache_dbm.c': '',
  'mod_socache_dc.c': '',
  'mod_socache_memcache.c': 'memcacheconnttl',
  'mod_socache_redis.c': 'redisconnpoolttl redistimeout',
  'mod_socache_shmcb.c': '',
  'mod_speling.c': 'checkbasenamematch checkcaseonly checkspelling',
  'mod_ssl.c': `
    sslcacertificatefile sslcacertificatepath sslcadnrequestfile sslcadnrequestpath sslcarevocationcheck
    sslcarevocationfile sslcarevocationpath sslcertificatechainfile sslcertificatefile sslcertificatekeyfile
    sslciphersuite sslcompression sslcryptodevice sslengine sslfips sslhonorcipherorder
    sslinsecurerenegotiation ssllog sslloglevel sslocspdefaultresponder sslocspenable sslocspnoverify
    sslocspoverrideresponder sslocspproxyurl sslocsprespondercertificatefile sslocsprespondertimeout
    sslocspresponsemaxage sslocspresponsetimeskew sslocspuserequestnonce sslopensslconfcmd ssloptions
    sslpassphrasedialog sslprotocol sslproxycacertificatefile sslproxycacertificatepath
    sslproxycarevocationcheck sslproxycarevocationfile sslproxycarevocationpath sslproxycheckpeercn
    sslproxycheckpeerexpire sslproxycheckpeername sslproxyciphersuite sslproxyengine
    sslproxymachinecertificatechainfile sslproxymachinecertificatefile sslproxymachinecertificatepath
    sslproxyprotocol sslproxyverify sslproxyverifydepth sslrandomseed sslrenegbuffersize sslrequire
    sslrequiressl sslsessioncache sslsessioncachetimeout sslsessionticketkeyfile sslsessiontickets
    sslsrpunknownuserseed sslsrpverifierfile sslstaplingcache sslstaplingerrorcachetimeout
    sslstaplingfaketrylater sslstaplingforceurl sslstaplingrespondertimeout sslstaplingresponsemaxage
    sslstaplingresponsetimeskew sslstaplingreturnrespondererrors sslstaplingstandardcachetimeout
    sslstrictsnivhostcheck sslusername sslusestapling sslverifyclient sslverifydepth`,
  'mod_status.c': '',
  'mod_substitute.c': 'substitute substituteinheritbefore substitutemaxlinelength',
  'mod_suexec.c': 'suexecusergroup',
  'mod_systemd.c': '',
  'mod_unique_id.c': '',
  'mod_unixd.c': 'chrootdir group suexec user',
  'mod_userdir.c': 'userdir',
  'mod_usertrack.c': `
    cookiedomain cookieexpires cookiehttponly cookiename cookiesamesite cookiesecure cookiestyle
    cookietracking`,
  'mod_version.c': '<ifversion',
  'mod_vhost_alias.c': 'virtualdocumentroot virtualdocumentrootip virtualscriptalias virtualscriptaliasip',
  'mod_watchdog.c': 'watchdoginterval',
  'mod_win32.c': 'scriptinterpretersource',
  'mod_wsgi.c': `
    wsgiacceptmutex wsgiaccessscript wsgiapplicationgroup wsgiauthgroupscript wsgiauthuserscript
    wsgicallableobject wsgicasesensitivity wsgichunkedrequest wsgidaemonprocess wsgidestroyinterpreter
    wsgidispatchscript wsgidontwritebytecode wsgienablesendfile wsgierroroverride wsgigroupauthoritative
    wsgihandlerscript wsgiignoreactivity wsgiimportscript wsgimapheadtoget wsgipassapacherequest
    wsgipassauthorization wsgiprocessgroup wsgipythoneggs wsgipythonhashseed wsgipythonhome
    wsgipythonoptimize wsgipythonpath wsgipythonwarnings wsgirestrictembedded wsgirestrictprocess
    wsgirestrictsignal wsgirestrictstdin wsgirestrictstdout wsgiscriptalias wsgiscriptaliasmatch
    wsgiscriptreloading wsgiservermetrics wsgisocketprefix wsgisocketrotation wsgitrustedproxies
    wsgitrustedproxyheaders wsgiverbosedebugging`,
  'mod_xml2enc.c': 'xml2encalias xml2encdefault xml2startparse',
  'mpm_winnt.c': `
    listen listenbacklog listencoresbucketsratio receivebuffersize sendbuffersize threadlimit
    threadsperchild`,
  'prefork.c': `
    listen listenbacklog listencoresbucketsratio maxclients maxrequestworkers maxspareservers
    minspareservers receivebuffersize sendbuffersize serverlimit startservers`,
  'util_ldap.c': `
    ldapcacheentries ldapcachettl ldapconnectionpoolttl ldapconnectiontimeout ldaplibrarydebug
    ldapopcacheentries ldapopcachettl ldapreferralhoplimit ldapreferrals ldapretries ldapretrydelay
    ldapsharedcachefile ldapsharedcachesize ldaptimeout ldaptrustedclientcert ldaptrustedglobalcert
    ldaptrustedmode ldapverifyservercert`,
  'worker.c': `
    listen listenbacklog listencoresbucketsratio maxclients maxrequestworkers maxsparethreads
    minsparethreads receivebuffersize sendbuffersize serverlimit startservers threadlimit threadsperchild`,
};

const PROVIDERS = new Map<string, string[]>();
for (const [source, names] of Object.entries(MODULE_DIRECTIVES)) {
  for (const name of names.split(/\s+/).filter(Boolean))
    PROVIDERS.set(name, [...(PROVIDERS.get(name) ?? []), source]);
}

/** The modules (source names) that provide a directive or, written `<name`, a section; [] when unknown. */
export function findProviders(name: string): string[] {
  return PROVIDERS.get(name.toLowerCase()) ?? [];
}

/** Whether wsgictl knows every directive of this module (by source name). */
export function isKnownModule(source: string): boolean {
  return Object.hasOwn(MODULE_DIRECTIVES, source);
}
