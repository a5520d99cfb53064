namespace Auditor.Aws;
