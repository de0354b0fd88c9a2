// How to install the Azure CLI on this platform (https://learn.microsoft.com/cli/azure/install-azure-cli).
export function azInstallHint(platform: NodeJS.Platform = process.platform): string {
  switch (platform) {
    case 'darwin':
      return 'Install the Azure CLI: `brew install azure-cli`, then run `az login`.';
    case 'win32':
      return 'Install the Azure CLI: `winget install -e --id Microsoft.AzureCLI`, then open a new terminal and run `az login`.';
    default:
      return 'Install the Azure CLI: `curl -sL https://aka.ms/InstallAzureCLIDeb | sudo bash` (Debian/Ubuntu) or see https://aka.ms/azure-cli, then run `az login`.';
  }
}
